import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TokenStore } from './token-store.ts';

export const TOKEN_PATH = '/realms/catena/protocol/openid-connect/token';
export const REVOKE_PATH = '/realms/catena/protocol/openid-connect/revoke';

/** What the simulated Keycloak grants; Catena's example lists scopes like `fleet:read telematics:read`. */
const GRANTED_SCOPE =
  'organization connection:read fleet:read resource_operation:read telematics:read telematics:write webhook:read webhook:create webhook:update webhook:delete';

export interface TokenRouteOptions {
  tokens: TokenStore;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
}

const field = z.string().max(4096).optional();
const tokenFormSchema = z.object({ grant_type: field, client_id: field, client_secret: field, scope: field });
const revokeFormSchema = z.object({ token: field, client_id: field, client_secret: field });

/** Keycloak reads form fields only from a form body; anything else counts as no fields. */
function readForm(request: FastifyRequest): Record<string, string> {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!contentType.startsWith('application/x-www-form-urlencoded') || typeof request.body !== 'string') return {};
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(request.body)) if (!(key in form)) form[key] = value;
  return form;
}

/** Client credentials from the form or from HTTP Basic (the auth spec's `clientAuth` scheme). */
function clientCredentials(request: FastifyRequest, form: { client_id?: string | undefined; client_secret?: string | undefined }) {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: form.client_id, secret: form.client_secret };
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
}

export function registerTokenRoutes(app: FastifyInstance, options: TokenRouteOptions): void {
  const authenticate = (request: FastifyRequest, form: { client_id?: string | undefined; client_secret?: string | undefined }): boolean => {
    const { id, secret } = clientCredentials(request, form);
    return id === options.clientId && typeof secret === 'string' && sameSecret(secret, options.clientSecret);
  };

  app.post(TOKEN_PATH, async (request, reply) => {
    const parsed = tokenFormSchema.safeParse(readForm(request));
    if (!parsed.success) return oauthError(reply, 400, 'invalid_request', 'Invalid form parameters');
    const form = parsed.data;
    if (!form.grant_type) return oauthError(reply, 400, 'invalid_request', 'Missing form parameter: grant_type');
    if (!authenticate(request, form)) {
      return oauthError(reply, 401, 'invalid_client', 'Invalid client or Invalid client credentials');
    }
    if (form.grant_type !== 'client_credentials') {
      return oauthError(reply, 400, 'unsupported_grant_type', `Unsupported grant_type: ${form.grant_type.slice(0, 100)}`);
    }
    // The spec requires scope=organization; the quickstart omits it, so a missing scope is fine.
    const scopes = (form.scope ?? '').split(/\s+/).filter(Boolean);
    const unknown = scopes.filter((s) => s !== 'organization');
    if (unknown.length > 0) return oauthError(reply, 400, 'invalid_scope', `Invalid scopes: ${unknown.join(' ').slice(0, 200)}`);
    const accessToken = options.tokens.issue(options.clientId, options.tokenTtlSeconds);
    return reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({
        access_token: accessToken,
        expires_in: Math.round(options.tokenTtlSeconds),
        refresh_expires_in: 0,
        token_type: 'Bearer',
        'not-before-policy': 0,
        scope: GRANTED_SCOPE,
      });
  });

  app.post(REVOKE_PATH, async (request, reply) => {
    const parsed = revokeFormSchema.safeParse(readForm(request));
    if (!parsed.success) return oauthError(reply, 400, 'invalid_request', 'Invalid form parameters');
    if (!authenticate(request, parsed.data)) {
      return oauthError(reply, 401, 'invalid_client', 'Invalid client or Invalid client credentials');
    }
    if (!parsed.data.token) return oauthError(reply, 400, 'invalid_request', 'Missing token parameter to revoke');
    options.tokens.revoke(parsed.data.token);
    return reply.code(200).send();
  });
}
