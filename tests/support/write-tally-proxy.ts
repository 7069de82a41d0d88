import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A pass-through HTTP proxy in front of Catena (the simulator) for one console server, that
 * remembers every message write Catena accepted through it: so a test of several servers sees
 * which server sent what.
 */
export async function startWriteTallyProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  const accepted: string[] = [];
  let writeDelayMs = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const isMessageWrite = req.method === 'POST' && (req.url ?? '').startsWith('/v2/telematics/messages');
      if (isMessageWrite && writeDelayMs > 0) setTimeout(forward, writeDelayMs);
      else forward();
    });

    function forward() {
      const body = Buffer.concat(chunks);
      const isMessageWrite = req.method === 'POST' && (req.url ?? '').startsWith('/v2/telematics/messages');
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            if (isMessageWrite && (answer.statusCode === 202 || answer.statusCode === 200)) accepted.push(body.toString('utf8'));
            if (res.destroyed || res.writableEnded) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      upstream.on('error', () => {
        if (!res.destroyed && !res.headersSent) res.writeHead(502).end();
      });
      upstream.end(body);
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Pass each message write on only after this long (0: at once), so a batch takes a while to send. */
    delayWrites(ms: number) {
      writeDelayMs = ms;
    },
    /** How many message writes with this text Catena accepted through this proxy. */
    acceptedWith: (text: string) => accepted.filter((body) => body.includes(text)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
