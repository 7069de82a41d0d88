import type { FastifyInstance } from 'fastify';
import { errorBody } from './http-error.ts';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Whether the server listens on a loopback interface only (then loopback names reach nobody else). */
export function isLoopbackHost(listenHost: string): boolean {
  const host = listenHost.toLowerCase();
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The host names (no port) this console answers to: the one in PUBLIC_URL, any listed in
 * ALLOWED_HOSTS, and the loopback names when it listens on loopback.
 */
export function allowedHostnames(options: { publicUrl: string; listenHost: string; extra?: readonly string[] }): Set<string> {
  const names = new Set<string>([new URL(options.publicUrl).hostname.toLowerCase(), ...(options.extra ?? []).map((name) => name.toLowerCase())]);
  if (isLoopbackHost(options.listenHost)) for (const name of LOOPBACK_NAMES) names.add(name);
  return names;
}

/** The host name of a Host header value (`name`, `name:port`, `[v6]:port`), or null when it is not one. */
export function hostnameOf(hostHeader: string): string | null {
  if (!hostHeader || /[\s/@?#\\]/.test(hostHeader)) return null;
  try {
    const url = new URL(`http://${hostHeader}`);
    return url.hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Refuses (421) a request whose Host is not one of the console's own names, before any route or
 * access check runs. A page on another name that resolves to this machine (DNS rebinding) then
 * reads and sends nothing: it is not the console's origin, so its requests never get an answer.
 */
export function registerHostAllowList(app: FastifyInstance, allowed: ReadonlySet<string>): void {
  const names = [...allowed].join(', ');
  app.addHook('onRequest', async (request, reply) => {
    // `request.host` is X-Forwarded-Host behind a trusted proxy, else the Host header.
    const hostname = hostnameOf(request.host);
    if (hostname === null) {
      return reply.status(400).send(errorBody('missing_host', 'The request has no valid Host header.'));
    }
    if (!allowed.has(hostname)) {
      request.log.warn({ host: request.host.slice(0, 200) }, 'request for a host this console does not serve');
      return reply
        .status(421)
        .header('connection', 'close')
        .send(errorBody('unknown_host', `This console answers only to ${names}. Open it at its own address.`));
    }
  });
}
