import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';

/** One request the proxy passed on, as it arrived and as it was answered. */
export type ProxiedRequest = {
  method: string;
  /** The path without its query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as sent (still gzipped, for Catena's webhooks). */
  body: Buffer;
  /** The base URL of the target that answered; null when none could be reached. */
  target: string | null;
  /** The target's status code; 502 when none could be reached. */
  status: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
};

/** What is known of a request when it arrives, before it is answered. */
type Arriving = Pick<ProxiedRequest, 'method' | 'path' | 'query'>;
type Match = (request: Arriving) => boolean;

/**
 * A reverse proxy that remembers every request it passes on, so a test can count what went
 * through it. In front of the simulator, one per console server, it tells which server asked
 * Catena what (Catena itself cannot: every server uses the same credentials). In front of several
 * servers it is their load balancer: round robin, and a server that refuses the connection (it is
 * down) is skipped, as a load balancer's health check would — e.g. as PUBLIC_URL, so Catena's
 * webhooks land on any server; `pin` sends everything to one of them. `hold` keeps matching
 * requests until `release`.
 */
export async function startCountingProxy(targets: string | readonly string[]) {
  const bases = (typeof targets === 'string' ? [targets] : [...targets]).map((target) => new URL(target));
  if (bases.length === 0) throw new Error('startCountingProxy: no target');
  const agent = new Agent({ keepAlive: true });
  const recorded: ProxiedRequest[] = [];
  let next = 0;
  let pinned: URL | null = null;
  let holding: Match | null = null;
  let held: (() => void)[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://proxy.invalid');
      const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      const go = () => forward(request, req.url ?? '/', res, at);
      if (holding?.(request)) held.push(go);
      else go();
    });
  });

  function forward(request: Omit<ProxiedRequest, 'target' | 'status' | 'at'>, rawUrl: string, res: ServerResponse, at: number, tried = 0) {
    const target = pinned ?? bases[next++ % bases.length]!;
    const record = (status: number, answeredBy: string | null) => recorded.push({ ...request, target: answeredBy, status, at });
    const upstream = httpRequest(
      { agent, host: target.hostname, port: target.port, method: request.method, path: rawUrl, headers: { ...request.headers, host: target.host } },
      (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          record(answer.statusCode ?? 502, target.origin);
          // The client may be gone (a console killed mid-request): the target got the request all the same.
          if (res.destroyed || res.writableEnded) return;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(parts));
        });
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // Refused: the request never reached that target, so another may take it. Anything else may have reached it.
      if (error.code === 'ECONNREFUSED' && !pinned && tried + 1 < bases.length) {
        forward(request, rawUrl, res, at, tried + 1);
        return;
      }
      record(502, null);
      if (!res.destroyed && !res.headersSent) res.writeHead(502).end();
    });
    upstream.end(request.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');

  const select = (match?: (request: ProxiedRequest) => boolean) => (match ? recorded.filter(match) : [...recorded]);
  return {
    url: `http://127.0.0.1:${address.port}`,
    /** Every request answered so far (or given up on), oldest first; only those that match, with `match`. */
    requests: select,
    count: (match?: (request: ProxiedRequest) => boolean) => select(match).length,
    /** Sends every request to this one target (as a load balancer draining the others); null: round robin again. */
    pin(target: string | null) {
      if (target === null) {
        pinned = null;
        return;
      }
      const found = bases.find((base) => base.origin === new URL(target).origin);
      if (!found) throw new Error(`${target} is not one of this proxy's targets`);
      pinned = found;
    },
    /** Keeps each request that matches from now on, until `release`. */
    hold(match: Match) {
      holding = match;
    },
    /** Passes on what was held, and holds nothing more. */
    release() {
      holding = null;
      const waiting = held;
      held = [];
      for (const go of waiting) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        holding = null;
        held = [];
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type CountingProxy = Awaited<ReturnType<typeof startCountingProxy>>;

/** Catena's resource-operation list, which the reconciler pages (server/catena/catena-client.ts). */
export const RESOURCE_OPERATION_LIST = '/v2/integrations/connections/resource-operations';

/** A request for the list's first page: one reconciler pass begins (later pages carry a cursor). */
export const isListPass: Match = (request) => request.method === 'GET' && request.path === RESOURCE_OPERATION_LIST && !request.query.has('cursor');

/** Any page of the list. */
export const isListPage: Match = (request) => request.method === 'GET' && request.path === RESOURCE_OPERATION_LIST;

/** A message write to Catena. */
export const isMessageWrite: Match = (request) => request.method === 'POST' && request.path === '/v2/telematics/messages';
