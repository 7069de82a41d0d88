import type { Server, Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';

export type HttpLimits = {
  /** The whole request (headers and body) must arrive within this; 0 turns it off. */
  requestTimeoutMs: number;
  /** The headers must arrive within this (at most `requestTimeoutMs`). */
  headersTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed (a response that takes longer is not). */
  connectionTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections one address may hold open at once; 0 for no limit (behind a proxy all come from it). */
  maxConnectionsPerAddress: number;
};

/** The options Fastify passes on to Node's http server, from the limits. */
export function httpServerOptions(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || limits.headersTimeoutMs),
      // Node enforces the two timeouts when it checks its connections (every 30 s by default):
      // check often enough that a slow client is dropped close to its deadline.
      connectionsCheckingInterval: Math.max(
        100,
        Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || Infinity) / 4)),
      ),
    },
  };
}

/**
 * Closes a new connection at once when its address already holds `max` open ones, so one client
 * cannot take every socket the process can have by opening connections and sending nothing.
 */
export function limitConnectionsPerAddress(server: Server, max: number, log: FastifyBaseLogger): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  let warnedAt = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      if (Date.now() - warnedAt > 60_000) {
        warnedAt = Date.now();
        log.warn({ address, max }, 'refused connections past the limit per address');
      }
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
