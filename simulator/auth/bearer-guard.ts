import type { FastifyInstance } from 'fastify';
import { CatenaHttpError } from '../http/catena-errors.ts';
import type { ApiRateLimiter } from './api-rate-limit.ts';
import type { TokenStore } from './token-store.ts';

/**
 * Every Catena API route (`/v2/...`) needs a valid, unexpired bearer token, and counts against the
 * client's rate limit. Unknown paths are not guarded: they are 404 with or without a token.
 */
export function registerBearerGuard(app: FastifyInstance, tokens: TokenStore, limiter: ApiRateLimiter): void {
  const unauthorized = (detail: string) => new CatenaHttpError(401, detail, { 'www-authenticate': 'Bearer' });
  app.addHook('onRequest', async (request) => {
    if (!request.routeOptions.url?.startsWith('/v2/')) return;
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') throw unauthorized('Not authenticated: send Authorization: Bearer <access_token>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized('Invalid authorization header: expected "Bearer <access_token>"');
    const check = tokens.check(match[1]);
    if (!check.ok) throw unauthorized(check.reason === 'expired' ? 'Token has expired' : 'Invalid token');
    limiter.take(check.clientId);
  });
}
