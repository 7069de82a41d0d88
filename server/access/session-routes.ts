import type { FastifyInstance } from 'fastify';
import { signInRequestSchema, type Role, type SignInLimitedDetails } from '../../contracts/access-schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { clearedCookie, readCookie, sessionCookie, sessionCookieName } from './access-control.ts';
import type { AccountStore } from './account-store.ts';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password.ts';
import type { DeviceCookies } from './device-cookie.ts';
import type { SessionStore } from './session-store.ts';
import type { LimitScope, SignInLimiter } from './sign-in-limiter.ts';

type Deps = {
  accounts: AccountStore;
  sessions: SessionStore;
  limiter: SignInLimiter;
  devices: DeviceCookies;
  audit: AuditLog;
  secureCookies: boolean;
  sessionMaxAgeSeconds: number;
  demoAccounts: { email: string; password: string; role: Role }[] | null;
};

const WRONG = 'The email or the password is wrong.';

export function registerSessionRoutes(app: FastifyInstance, deps: Deps): void {
  const cookieName = sessionCookieName(deps.secureCookies);

  app.get('/api/session/options', { config: { access: 'public' } }, async () => ({ demo_accounts: deps.demoAccounts }));

  app.post('/api/session', { config: { access: 'public' } }, async (request, reply) => {
    const { email, password } = parseInput(signInRequestSchema, request.body, 'sign-in');
    const account = await deps.accounts.findByEmail(email);
    const knownDevice = deps.devices.isKnownDevice(request.headers.cookie, account?.id ?? null);
    // Reserved before the password is checked: parallel guesses each take an attempt first (in one
    // transaction per reservation, on any server), so no more of them are checked than the limit allows.
    const attempt = await deps.limiter.reserve(email, request.ip, { knownDevice });
    if (!attempt.allowed) {
      reply.header('retry-after', String(attempt.retryAfterSeconds));
      const details: SignInLimitedDetails = { retry_after_seconds: attempt.retryAfterSeconds, scope: attempt.scope };
      throw new HttpError(429, 'too_many_attempts', tooManyMessage(attempt.scope, attempt.retryAfterSeconds), details);
    }
    // A wrong email costs as long as a wrong password, and gets the same answer.
    const matches = await verifyPassword(password, account?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!account || !matches || account.disabled) {
      await deps.audit.record({ actor: null, action: 'sign_in_failed', target: email, ip: request.ip });
      throw new HttpError(401, 'sign_in_failed', WRONG);
    }
    await attempt.succeeded();
    // Whatever session id the browser brought is dropped: sign-in always starts a new one.
    const previous = readCookie(request.headers.cookie, cookieName);
    if (previous) await deps.sessions.end(previous);
    const { token, csrfToken } = await deps.sessions.create(account.id);
    await deps.accounts.recordSignIn(account.id);
    await deps.audit.record({ actor: { id: account.id, email: account.email }, action: 'sign_in', ip: request.ip });
    reply.header('set-cookie', [sessionCookie(cookieName, token, deps.secureCookies, deps.sessionMaxAgeSeconds), deps.devices.issue(account.id)]);
    return { user: { id: account.id, email: account.email, name: account.name, role: account.role }, csrf_token: csrfToken };
  });

  app.get('/api/session', { config: { access: 'view' } }, async (request) => ({ user: request.user, csrf_token: request.csrfToken }));

  app.delete('/api/session', { config: { access: 'view' } }, async (request, reply) => {
    if (request.sessionToken) await deps.sessions.end(request.sessionToken);
    if (request.user) await deps.audit.record({ actor: request.user, action: 'sign_out', ip: request.ip });
    reply.header('set-cookie', clearedCookie(cookieName, deps.secureCookies));
    return reply.status(204).send();
  });
}

function tooManyMessage(scope: LimitScope, retryAfterSeconds: number): string {
  const wait = retryAfterSeconds < 90 ? `${retryAfterSeconds} s` : `${Math.ceil(retryAfterSeconds / 60)} min`;
  const what =
    scope === 'address'
      ? 'Too many failed sign-ins from this network.'
      : scope === 'account_and_address'
        ? 'Too many failed sign-ins for this account from this network.'
        : 'Too many failed sign-ins for this account. A browser that signed in to it before can still sign in.';
  return `${what} Try again in ${wait}.`;
}
