import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A small HTTP proxy between the console and the simulator that can hold Catena writes: it takes
 * the whole request, waits, then forwards it whatever became of the client meanwhile — as when
 * Catena creates an operation after the console gave up waiting. `drop` loses the request instead
 * (it never reaches Catena). Everything else passes straight through.
 */
export async function startDelayingProxy(targetUrl: string) {
  let holdMs = 0;
  let holdAllMs = 0;
  let drop = false;
  let held = 0;
  const arrivals: (() => void)[] = [];
  const target = new URL(targetUrl);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isWrite = (req.method === 'POST' || req.method === 'PATCH') && (req.url ?? '').startsWith('/v2/telematics/');
      if (isWrite && (holdMs > 0 || drop)) {
        held += 1;
        for (const arrived of arrivals.splice(0)) arrived();
        if (drop) return; // never answered, never forwarded
        setTimeout(() => forward(req, body, res), holdMs);
        return;
      }
      if (holdAllMs > 0) setTimeout(() => forward(req, body, res), holdAllMs);
      else forward(req, body, res);
    });
  });

  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse) {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
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

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Hold each message write this long before forwarding it (0: pass through). */
    hold(ms: number) {
      holdMs = ms;
      drop = false;
    },
    /** Lose each message write: Catena never sees it. */
    dropWrites() {
      drop = true;
    },
    /** Hold every request this long: Catena hangs. */
    holdEverything(ms: number) {
      holdAllMs = ms;
    },
    passThrough() {
      holdMs = 0;
      holdAllMs = 0;
      drop = false;
    },
    /** Resolves once a message write has reached the proxy and is being held. */
    nextHeldWrite(): Promise<void> {
      return new Promise((resolve) => arrivals.push(resolve));
    },
    heldCount: () => held,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
