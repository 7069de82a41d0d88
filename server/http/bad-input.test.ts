import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../../tests/support/console-server.ts';

// Catena is unreachable on purpose: bad input must be refused before anything goes upstream.
let consoleServer: RunningConsole;
beforeAll(async () => {
  consoleServer = await startConsole({ catenaUrl: 'http://127.0.0.1:9' });
});
afterAll(async () => {
  await consoleServer.close();
});

const uuid = '3f6c1d2e-8a4b-4c5d-9e0f-112233445566';
const validMessage = { connection_id: uuid, sender_id: uuid, recipient_id: uuid, message_text: 'Hello' };

async function call(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const response = await consoleServer.fetch(path, {
    method,
    headers: init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers },
    body: init.body ?? null,
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : null };
}

describe('bad input gets a clear 4xx, never a 500', () => {
  it.each([
    ['GET', '/api/operations?connection_id=not-a-uuid', 400, 'connection_id'],
    ['GET', '/api/operations?status=exploded', 400, 'status'],
    ['GET', '/api/operations?limit=0', 400, 'limit'],
    ['GET', '/api/operations?limit=abc', 400, 'limit'],
    ['GET', '/api/operations?from=yesterday', 400, 'from'],
    ['GET', '/api/operations?from=2026-11-27T10:00:00Z&to=2026-11-26T10:00:00Z', 400, 'from'],
    ['GET', `/api/operations?q=${'x'.repeat(300)}`, 400, 'q'],
    ['GET', '/api/operations?cursor=garbage', 400, 'cursor'],
    ['GET', '/api/operations/summary?error_type=weird', 400, 'error_type'],
    ['GET', '/api/operations/12345', 400, 'id'],
    ['GET', '/api/users?role=admin', 400, 'role'],
    ['GET', '/api/nope', 404, 'no GET /api/nope'],
  ])('%s %s → %i', async (method, path, status, mention) => {
    const response = await call(method, path);
    expect(response.status).toBe(status);
    expect(response.json?.error?.message.toLowerCase()).toContain(mention.toLowerCase());
  });

  it.each([
    ['no body', undefined, 400],
    ['not JSON', '{"connection_id":', 400],
    ['an array', '[]', 400],
    ['a missing recipient', JSON.stringify({ ...validMessage, recipient_id: undefined }), 400],
    ['an empty text', JSON.stringify({ ...validMessage, message_text: '   ' }), 400],
    ['a bad priority', JSON.stringify({ ...validMessage, priority: 'urgent' }), 400],
    ['a text over the hard limit', JSON.stringify({ ...validMessage, message_text: 'x'.repeat(10_001) }), 400],
    ['a body over 256 KiB', JSON.stringify({ ...validMessage, message_text: 'x'.repeat(300_000) }), 413],
  ])('POST /api/messages with %s → %i', async (_name, body, status) => {
    const response = await call('POST', '/api/messages', body === undefined ? {} : { body });
    expect(response.status).toBe(status);
    expect(response.json?.error?.message).toEqual(expect.any(String));
  });

  it('refuses a malformed Idempotency-Key', async () => {
    const response = await call('POST', '/api/messages', { body: JSON.stringify(validMessage), headers: { 'idempotency-key': 'short' } });
    expect(response.status).toBe(400);
    expect(response.json?.error?.message).toContain('Idempotency-Key');
  });

  it('says Catena is unreachable with a 503, and lets the same key try again', async () => {
    const headers = { 'idempotency-key': 'retry-me-0001' };
    const first = await call('POST', '/api/messages', { body: JSON.stringify(validMessage), headers });
    const second = await call('POST', '/api/messages', { body: JSON.stringify(validMessage), headers });
    expect(first.status).toBe(503);
    expect(first.json?.error?.code).toBe('upstream_unreachable');
    expect(second.status).toBe(503);
  });

  it('survives a burst of malformed requests of every kind', async () => {
    const paths = [
      '/api/operations',
      '/api/operations/summary',
      '/api/messages',
      '/api/users',
      '/api/operations/%E0%A4%A',
      '/webhooks/catena',
      '/api/health',
    ];
    const bodies = ['', 'null', '{', '{"a":1}', '[1,2,3]', '\u0000\u0001', '"string"', JSON.stringify({ connection_id: 1 })];
    const queries = ['', '?limit=-1', '?connection_id=&connection_id=', '?q=%00', '?status[]=x', '?from=2026-13-45', '?cursor=%FF%FE'];
    for (const path of paths) {
      for (const query of queries) {
        for (const method of ['GET', 'POST', 'DELETE']) {
          const body = method === 'GET' ? undefined : bodies[(path.length + query.length) % bodies.length];
          const response = await call(method, `${path}${query}`, body === undefined ? {} : { body });
          // The one 5xx allowed is the honest "Catena is unreachable" for a valid request that had to go upstream.
          const acceptable = response.status < 500 || response.json?.error?.code === 'upstream_unreachable';
          expect({ request: `${method} ${path}${query}`, acceptable, answer: response.text.slice(0, 120) }).toMatchObject({ acceptable: true });
        }
      }
    }
    expect((await call('GET', '/api/health')).status).toBe(200);
  });
});
