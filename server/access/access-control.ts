import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, type Capability, type SessionUser } from '../../contracts/access-schemas.ts';
import { HttpError } from '../http/http-error.ts';
import type { AccountStore } from './account-store.ts';
import type { SessionStore } from './session-store.ts';

/** Who may call a route: anyone (`public`), or signed-in people whose role has the capability. */
export type Access = 'public' | Capability;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    sessionToken: string | null;
    csrfToken: string | null;
  }
}

export type AccessRule = { method: string; url: string; access: Access };

type Deps = { sessions: SessionStore; accounts: AccountStore; publicUrl: string; secureCookies: boolean };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionCookieName(secure: boolean): string {
  // `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
  return secure ? '__Host-fleetops_session' : 'fleetops_session';
}

/**
 * Every /api route must declare who may call it (`config.access`); registering one without a rule
 * fails at start, so no endpoint is ever open by omission. On each request: find the session from
 * the cookie, refuse (401) without one, refuse (403) a role without the capability, and for a
 * request that changes something, refuse (403) a cross-site Origin or a missing or wrong
 * X-CSRF-Token.
 */
export function registerAccessControl(app: FastifyInstance, deps: Deps): AccessRule[] {
  const rules: AccessRule[] = [];
  const cookieName = sessionCookieName(deps.secureCookies);
  const ownOrigin = new URL(deps.publicUrl).origin;

  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`${String(route.method)} ${route.url} has no access rule (config.access)`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') rules.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.routeOptions.url;
    if (!url?.startsWith('/api/')) return;
    const access = request.routeOptions.config.access ?? 'admin';

    const token = readCookie(request.headers.cookie, cookieName);
    if (token) {
      const session = await deps.sessions.find(token);
      const account = session ? await deps.accounts.get(session.accountId) : null;
      if (session && account && !account.disabled) {
        request.user = { id: account.id, email: account.email, name: account.name, role: account.role };
        request.sessionToken = token;
        request.csrfToken = session.csrfToken;
      } else {
        // A cookie for no live session: tell the browser to forget it.
        reply.header('set-cookie', clearedCookie(cookieName, deps.secureCookies));
      }
    }

    if (!SAFE_METHODS.has(request.method)) checkOrigin(request, ownOrigin);
    if (access === 'public') return;
    if (!request.user) throw new HttpError(401, 'not_signed_in', 'Sign in to continue.');
    if (!can(request.user.role, access)) {
      throw new HttpError(403, 'forbidden', `Your role (${request.user.role}) does not allow this.`);
    }
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request);
  });

  return rules;
}

function checkOrigin(request: FastifyRequest, ownOrigin: string): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  // The console's configured address, or the address this request came in on (a dev proxy, another hostname).
  const host = request.headers.host;
  const sameHost = host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  if (origin !== ownOrigin && !sameHost) {
    throw new HttpError(403, 'cross_site_request', 'This request came from another site and was refused.');
  }
}

function checkCsrf(request: FastifyRequest): void {
  const sent = request.headers['x-csrf-token'];
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  const expected = Buffer.from(request.csrfToken ?? '');
  if (given.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(403, 'csrf_token_invalid', "The request lacks this session's X-CSRF-Token. Reload the page and try again.");
  }
}

const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

/** The value of cookie `name` when it has the expected form (a session token by default), else null. */
export function readCookie(header: string | undefined, name: string, pattern: RegExp = SESSION_TOKEN_PATTERN): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      return pattern.test(value) ? value : null;
    }
  }
  return null;
}

export function sessionCookie(name: string, token: string, secure: boolean, maxAgeSeconds: number): string {
  return `${name}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedCookie(name: string, secure: boolean): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}
