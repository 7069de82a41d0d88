import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../../contracts/health-schemas.ts';
import { startConsole, TEST_WEBHOOK_SECRET, type RunningConsole } from '../../tests/support/console-server.ts';
import { createTestDatabase, type TestDatabase } from '../../tests/support/postgres-server.ts';
import { ENGINES } from '../../tests/support/store-engines.ts';
import { postgresTestUrl } from '../../tests/support/test-databases.ts';
import { catenaOperation, deliver, eventEnvelope } from '../../tests/support/webhook-delivery.ts';

describe.each(ENGINES)('POST /webhooks/catena (%s store)', (engine) => {
  // Catena is never reached here: the receiver works from the request alone.
  let consoleServer: RunningConsole;
  let database: TestDatabase | null = null;
  beforeAll(async () => {
    database = engine === 'postgres' ? await createTestDatabase(postgresTestUrl()) : null;
    consoleServer = await startConsole({ catenaUrl: 'http://127.0.0.1:9', ...(database ? { databaseUrl: database.url } : {}) });
  });
  afterAll(async () => {
    await consoleServer.close();
    await database?.drop();
  });

  async function getOperation(id: string) {
    return consoleServer.fetch(`/api/operations/${id}`);
  }

  it('stores the operation of a valid, signed event and answers 202', async () => {
    const op = catenaOperation({ status: 'success', resource_id: crypto.randomUUID(), source_id: 'msg_1' });
    const response = await deliver(consoleServer.url, eventEnvelope('resource_operation.succeeded', [op]), { secret: TEST_WEBHOOK_SECRET });
    expect(response.status).toBe(202);
    const stored = await getOperation(op.id);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ id: op.id, status: 'success', source_id: 'msg_1' });
  });

  it('stores an operation whose text holds NUL characters (which PostgreSQL text cannot hold), and finds it by its words', async () => {
    const op = catenaOperation({
      status: 'success',
      payload: { message_text: 'Gate\u0000 code 7781\u0000', 'odd\u0000key': 'x\u0000y', recipient_id: crypto.randomUUID() },
    });
    const response = await deliver(consoleServer.url, eventEnvelope('resource_operation.succeeded', [op]), { secret: TEST_WEBHOOK_SECRET });
    expect(response.status).toBe(202);
    const stored = (await (await getOperation(op.id)).json()) as { payload: Record<string, unknown> };
    expect(stored.payload).toMatchObject({ message_text: 'Gate code 7781', oddkey: 'xy' });
    const found = (await (await consoleServer.fetch('/api/operations?q=7781')).json()) as { items: { id: string }[] };
    expect(found.items.map((item) => item.id)).toContain(op.id);
  });

  it('stores an operation whose text holds half an emoji (a lone surrogate, which PostgreSQL JSON cannot hold)', async () => {
    const op = catenaOperation({ status: 'success', payload: { message_text: 'Load ready \ud83d', recipient_id: `a\ud800b` } });
    const response = await deliver(consoleServer.url, eventEnvelope('resource_operation.succeeded', [op]), { secret: TEST_WEBHOOK_SECRET });
    expect(response.status).toBe(202);
    const stored = (await (await getOperation(op.id)).json()) as { payload: Record<string, unknown> };
    expect(stored.payload).toMatchObject({ message_text: 'Load ready \ufffd', recipient_id: 'a\ufffdb' });
  });

  it('never answers 5xx to an operation with ids too long for an index, and the store goes on taking events', async () => {
    const long = randomBytes(3000).toString('hex');
    const op = catenaOperation({ status: 'success', source_id: long, payload: { message_text: 'Long ids', vehicle_id: long } });
    const response = await deliver(consoleServer.url, eventEnvelope('resource_operation.succeeded', [op]), { secret: TEST_WEBHOOK_SECRET });
    // SQLite holds it; PostgreSQL cannot index a 6,000-byte source_id and refuses it for good (422, counted for admins).
    expect(response.status).toBe(engine === 'sqlite' ? 202 : 422);
    const next = catenaOperation({ status: 'success' });
    expect((await deliver(consoleServer.url, eventEnvelope('resource_operation.succeeded', [next]), { secret: TEST_WEBHOOK_SECRET })).status).toBe(
      202,
    );
    expect((await getOperation(next.id)).status).toBe(200);
  });

  const refusals: [string, (op: ReturnType<typeof catenaOperation>) => Promise<Response>, number][] = [
    [
      'a wrong secret',
      (op) => deliver(consoleServer.url, eventEnvelope('resource_operation.created', [op]), { secret: 'not-the-console-secret' }),
      401,
    ],
    [
      'a changed body',
      (op) =>
        deliver(consoleServer.url, eventEnvelope('resource_operation.created', [op]), {
          secret: TEST_WEBHOOK_SECRET,
          tamper: (json) => json.replace('"pending"', '"success"'),
        }),
      401,
    ],
    [
      'a timestamp older than 5 minutes',
      (op) =>
        deliver(consoleServer.url, eventEnvelope('resource_operation.created', [op]), {
          secret: TEST_WEBHOOK_SECRET,
          timestamp: new Date(Date.now() - 6 * 60_000).toISOString(),
        }),
      401,
    ],
    [
      'a body that is not gzip',
      (op) =>
        deliver(consoleServer.url, eventEnvelope('resource_operation.created', [op]), {
          secret: TEST_WEBHOOK_SECRET,
          body: Buffer.from(JSON.stringify(eventEnvelope('resource_operation.created', [op]))),
        }),
      400,
    ],
    [
      'a gzip bomb',
      (op) =>
        deliver(consoleServer.url, eventEnvelope('resource_operation.created', [op]), {
          secret: TEST_WEBHOOK_SECRET,
          // 64 MiB of zeros compress to about 64 KiB: small on the wire, huge once inflated.
          body: gzipSync(Buffer.alloc(64 * 1024 * 1024)),
        }),
      413,
    ],
    [
      'a missing signature',
      (op) => deliver(consoleServer.url, eventEnvelope('resource_operation.created', [op]), { secret: TEST_WEBHOOK_SECRET, signature: '' }),
      401,
    ],
    [
      'random bytes',
      (op) => deliver(consoleServer.url, eventEnvelope('resource_operation.created', [op]), { secret: TEST_WEBHOOK_SECRET, body: randomBytes(4096) }),
      400,
    ],
  ];

  it.each(refusals)('refuses %s and stores nothing', async (_name, send, expectedStatus) => {
    const op = catenaOperation();
    const response = await send(op);
    expect(response.status).toBe(expectedStatus);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect((await getOperation(op.id)).status).toBe(404);
  });

  it('stores a replayed event once and answers 202 both times', async () => {
    const op = catenaOperation();
    const envelope = eventEnvelope('resource_operation.created', [op]);
    const first = await deliver(consoleServer.url, envelope, { secret: TEST_WEBHOOK_SECRET });
    const again = await deliver(consoleServer.url, { ...envelope, delivery_attempt: 2 }, { secret: TEST_WEBHOOK_SECRET });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(await first.json()).toMatchObject({ duplicate: false, stored: 1 });
    expect(await again.json()).toMatchObject({ duplicate: true, stored: 0 });
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM operations WHERE id = ${op.id}`.execute(consoleServer.database.db);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('keeps the newest state when events arrive out of order', async () => {
    const created = catenaOperation({ created_at: '2026-11-27T10:00:00.000Z', updated_at: '2026-11-27T10:00:00.000Z' });
    const failedLog = {
      id: crypto.randomUUID(),
      created_at: '2026-11-27T10:00:01.000Z',
      updated_at: '2026-11-27T10:00:01.000Z',
      resource_operation_id: created.id,
      status: 'failed',
      error_type: 'auth',
      error_details: 'TSP answered 401: token expired',
      response_status_code: 401,
    };
    const failed = { ...created, status: 'failed', updated_at: '2026-11-27T10:00:01.000Z', logs: [failedLog] };
    await deliver(consoleServer.url, eventEnvelope('resource_operation.failed', [failed]), { secret: TEST_WEBHOOK_SECRET });
    await deliver(consoleServer.url, eventEnvelope('resource_operation.created', [created]), { secret: TEST_WEBHOOK_SECRET });
    const stored = await (await getOperation(created.id)).json();
    expect(stored).toMatchObject({ status: 'failed', attempt_count: 1, last_error_type: 'auth' });
  });

  it('refuses a signed event whose body is not an event envelope', async () => {
    const response = await deliver(consoleServer.url, { hello: 'world' }, { secret: TEST_WEBHOOK_SECRET });
    expect(response.status).toBe(422);
  });

  it('accepts and ignores events of other kinds so Catena does not retry them', async () => {
    const response = await deliver(consoleServer.url, eventEnvelope('vehicle.added', [{ id: 'x' }]), { secret: TEST_WEBHOOK_SECRET });
    expect(response.status).toBe(202);
  });

  it('reports the last webhook in /api/health', async () => {
    const health = healthSchema.parse(await (await consoleServer.fetch('/api/health')).json());
    expect(health.webhooks.last_received_at).toEqual(expect.any(String));
  });
});
