import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A stable address for Catena to deliver webhooks to, in front of a console that comes and goes:
 * while `down()`, every connection is cut before any answer (as a stopped server's port refuses),
 * and `up(url)` forwards again — to a restarted console, on whatever port it now has.
 */
export async function startSwitchableProxy() {
  let target: URL | null = null;
  let cut = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!target) {
      cut += 1;
      req.socket.destroy();
      return;
    }
    const to = target;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const upstream = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    up(url: string) {
      target = new URL(url);
    },
    down() {
      target = null;
    },
    /** Connections cut while down. */
    cutCount: () => cut,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
