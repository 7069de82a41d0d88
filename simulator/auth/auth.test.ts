import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, TEST_CLIENT, type SimHarness } from '../test-support/sim-harness.ts';

const TOKEN_PATH = '/realms/catena/protocol/openid-connect/token';
const form = (fields: Record<string, string>) => ({ raw: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });

let h: SimHarness;
beforeAll(async () => {
  h = await startSimulator({ seedHistory: false });
});
afterAll(() => h.close());

describe('POST /realms/catena/protocol/openid-connect/token', () => {
  it('issues an opaque bearer token for the client credentials grant', async () => {
    const result = await h.call<Record<string, unknown>>(TOKEN_PATH, form({ grant_type: 'client_credentials', ...creds(), scope: 'organization' }));
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(result.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      scope: expect.stringContaining('organization'),
    });
    const api = await h.call('/v2/orgs/fleets', { token: String(result.body['access_token']) });
    expect(api.status).toBe(200);
  });

  it('accepts a missing scope (the quickstart omits it) and HTTP Basic client auth', async () => {
    expect((await h.call(TOKEN_PATH, form({ grant_type: 'client_credentials', ...creds() }))).status).toBe(200);
    const basic = Buffer.from(`${TEST_CLIENT.clientId}:${TEST_CLIENT.clientSecret}`).toString('base64');
    const result = await h.call(TOKEN_PATH, { ...form({ grant_type: 'client_credentials' }), headers: { authorization: `Basic ${basic}` } });
    expect(result.status).toBe(200);
  });

  it('401 invalid_client for a wrong secret or an unknown client', async () => {
    const attempts: Record<string, string>[] = [
      { client_id: TEST_CLIENT.clientId, client_secret: 'wrong' },
      { client_id: 'someone-else', client_secret: TEST_CLIENT.clientSecret },
      { client_id: TEST_CLIENT.clientId },
    ];
    for (const fields of attempts) {
      const result = await h.call(TOKEN_PATH, form({ grant_type: 'client_credentials', ...fields }));
      expect(result.status).toBe(401);
      expect(result.body).toEqual({ error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' });
    }
  });

  it('400 for a bad grant type, a missing grant type, a bad scope or a non-form body', async () => {
    const unsupported = await h.call<{ error: string }>(TOKEN_PATH, form({ grant_type: 'password', ...creds() }));
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error).toBe('unsupported_grant_type');
    const missing = await h.call<{ error: string }>(TOKEN_PATH, form(creds()));
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    const scope = await h.call<{ error: string }>(TOKEN_PATH, form({ grant_type: 'client_credentials', ...creds(), scope: 'admin' }));
    expect([scope.status, scope.body.error]).toEqual([400, 'invalid_scope']);
    const json = await h.call<{ error: string }>(TOKEN_PATH, { json: { grant_type: 'client_credentials', ...creds() } });
    expect([json.status, json.body.error]).toEqual([400, 'invalid_request']);
  });

  it('revokes a token', async () => {
    const token = (await h.call<{ access_token: string }>(TOKEN_PATH, form({ grant_type: 'client_credentials', ...creds() }))).body.access_token;
    const revoke = await h.call('/realms/catena/protocol/openid-connect/revoke', form({ token, ...creds() }));
    expect(revoke.status).toBe(200);
    expect((await h.call('/v2/orgs/fleets', { token })).status).toBe(401);
  });
});

describe('bearer tokens on /v2', () => {
  it('401 in Catena shape without a token, with a garbage token, or with a non-bearer header', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-a-token' },
      { authorization: 'Basic abc' },
      { authorization: 'Bearer' },
    ];
    for (const headers of cases) {
      const result = await h.call<{ code: number; message: string; detail: string }>('/v2/integrations/connections', { headers });
      expect(result.status).toBe(401);
      expect(result.body).toEqual({ code: 401, message: 'Unauthorized', detail: expect.any(String) });
      expect(result.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('unknown paths are 404 with or without a token', async () => {
    expect((await h.call('/v2/nowhere')).status).toBe(404);
    expect((await h.api('/v2/nowhere')).status).toBe(404);
  });

  it('401 "Token has expired" once tokenTtlSeconds have passed', async () => {
    const shortLived = await startSimulator({ seedHistory: false, tokenTtlSeconds: 1 });
    try {
      const token = await shortLived.token();
      expect((await shortLived.api('/v2/orgs/fleets')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const expired = await shortLived.call<{ detail: string }>('/v2/orgs/fleets', { token });
      expect(expired.status).toBe(401);
      expect(expired.body.detail).toBe('Token has expired');
    } finally {
      await shortLived.close();
    }
  });
});

function creds() {
  return { client_id: TEST_CLIENT.clientId, client_secret: TEST_CLIENT.clientSecret };
}
