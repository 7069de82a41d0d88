import { sql } from 'kysely';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../../contracts/health-schemas.ts';
import { operationDetailSchema, operationPageSchema } from '../../contracts/operation-schemas.ts';
import { DEMO_ACCOUNTS } from '../../server/access/bootstrap-accounts.ts';
import { signWebhook } from '../../server/webhooks/webhook-verification.ts';
import { signIn, startConsole, TEST_WEBHOOK_SECRET, type RunningConsole } from '../support/console-server.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { catenaOperation, deliver, eventEnvelope } from '../support/webhook-delivery.ts';

/**
 * A validly signed event can still carry what no operation has. Such an event is refused (4xx, so
 * Catena stops delivering it), stored nowhere and counted for admins; what is stored always reads.
 */
let sim: RunningSimulator;
let consoleServer: RunningConsole;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, demoAccounts: true });
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});

/** Stand-ins for payloads too deep for JSON.stringify here: their JSON text is put in by hand. */
const DEEP = '__5000_LEVELS__';
const DEEPEST = '__100000_LEVELS__';
const deepJson = (levels: number) => `${'{"down":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`;

/** Delivers one operation in a signed event, as Catena does. */
function send(op: unknown) {
  const envelope = eventEnvelope('resource_operation.created', [op]);
  const json = JSON.stringify(envelope).replace(`"${DEEP}"`, deepJson(5_000)).replace(`"${DEEPEST}"`, deepJson(100_000));
  const timestamp = new Date().toISOString();
  return deliver(consoleServer.url, envelope, {
    secret: TEST_WEBHOOK_SECRET,
    timestamp,
    body: gzipSync(json),
    signature: signWebhook(TEST_WEBHOOK_SECRET, timestamp, json),
  });
}

function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { down: value };
  return value;
}

const log = (opId: string, overrides: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  created_at: '2026-11-30T10:00:00Z',
  updated_at: '2026-11-30T10:00:00Z',
  resource_operation_id: opId,
  status: 'failed',
  error_type: 'network',
  error_details: 'timeout',
  ...overrides,
});

async function refusedTotal(): Promise<number> {
  const health = healthSchema.parse(await (await consoleServer.fetch('/api/health')).json());
  return health.refused_operations?.total ?? -1;
}

describe('hostile events from Catena', () => {
  const poisoned: [string, (op: ReturnType<typeof catenaOperation>) => unknown][] = [
    ['year 0000 with an offset', (op) => ({ ...op, created_at: '0000-01-01T00:00:00+01:00' })],
    ['a time past year 9999 in UTC', (op) => ({ ...op, updated_at: '9999-12-31T23:30:00-01:00' })],
    ['a time before 1970', (op) => ({ ...op, created_at: '1969-12-31T23:59:59Z' })],
    ['a day no calendar has', (op) => ({ ...op, created_at: '2026-02-30T10:00:00Z' })],
    ['a time that is no time', (op) => ({ ...op, updated_at: 'yesterday' })],
    ['an unknown status', (op) => ({ ...op, status: 'exploded' })],
    ['an unknown operation type', (op) => ({ ...op, operation_type: 'delete' })],
    ['an unknown error type in a log', (op) => ({ ...op, logs: [log(op.id, { error_type: 'cosmic_rays' })] })],
    ['a log time in year 0000', (op) => ({ ...op, logs: [log(op.id, { created_at: '0000-06-01T00:00:00+01:00' })] })],
    ['an id that is no id', (op) => ({ ...op, id: "1' OR '1'='1" })],
    ['a resource name with markup', (op) => ({ ...op, resource: '<img src=x onerror=alert(1)>' })],
    ['a payload nested 1,000 levels deep', (op) => ({ ...op, payload: { message_text: 'deep', extra: nested(1_000) } })],
    ['a payload nested 5,000 levels deep', (op) => ({ ...op, payload: { message_text: 'deeper', extra: DEEP } })],
    ['a payload nested 100,000 levels deep', (op) => ({ ...op, payload: { message_text: 'deepest', extra: DEEPEST } })],
  ];

  it.each(poisoned)('refuses an event with %s (4xx), stores nothing, and counts it for admins', async (_case, spoil) => {
    const op = catenaOperation();
    const before = await refusedTotal();
    const response = await send(spoil(op));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_event', message: expect.stringContaining('not a valid resource operation') },
    });
    expect((await consoleServer.fetch(`/api/operations/${op.id}`)).status).toBe(404);
    expect(await refusedTotal()).toBe(before + 1);
  });

  it('shows the count and the last reason to admins only', async () => {
    await send({ ...catenaOperation(), created_at: '0000-01-01T00:00:00+01:00' });
    const admin = healthSchema.parse(await (await consoleServer.fetch('/api/health')).json());
    expect(admin.refused_operations).toMatchObject({ last_via: 'webhook', last_reason: 'data.0.created_at: a time between 1970 and 9999 (UTC)' });
    const viewerAccount = DEMO_ACCOUNTS.find((demo) => demo.role === 'viewer')!;
    const viewer = await signIn(consoleServer.url, viewerAccount.email, viewerAccount.password);
    const health = healthSchema.parse(await (await viewer.fetch('/api/health')).json());
    expect(health.refused_operations).toBeUndefined();
  });

  it('stores odd but valid times in UTC, and the operation reads everywhere', async () => {
    const text = `kiwi-${crypto.randomUUID().slice(0, 8)}`;
    const op = catenaOperation({
      id: crypto.randomUUID().toUpperCase(),
      created_at: '2026-03-01T00:30:00.123456+14:00',
      updated_at: '2026-02-28T23:00:00-09:30',
      payload: { message_text: `${text} at dock 4`, source_recipient_id: 'drv-1' },
    });
    op.logs = [log(op.id.toUpperCase(), { created_at: '2026-02-28T12:00:00+05:45', updated_at: '2026-02-28T12:00:01+05:45' })] as never;
    expect((await send(op)).status).toBe(202);
    const id = op.id.toLowerCase();

    const detail = operationDetailSchema.parse(await (await consoleServer.fetch(`/api/operations/${id}`)).json());
    expect(detail).toMatchObject({
      id,
      created_at: '2026-02-28T10:30:00.123Z',
      updated_at: '2026-03-01T08:30:00.000Z',
      logs: [{ created_at: '2026-02-28T06:15:00.000Z', resource_operation_id: id }],
    });
    const found: Record<string, boolean> = {};
    for (const query of [`q=${text}`, `q=${id}`, 'order=asc&limit=500', 'sort=updated_at&order=asc&limit=500']) {
      const response = await consoleServer.fetch(`/api/operations?${query}`);
      found[query] = response.status === 200 && operationPageSchema.parse(await response.json()).items.some((item) => item.id === id);
    }
    expect(found).toEqual({ [`q=${text}`]: true, [`q=${id}`]: true, 'order=asc&limit=500': true, 'sort=updated_at&order=asc&limit=500': true });
  });
});

describe('a stored row that no longer reads (kept by an older version)', () => {
  it('never makes a read answer 500: lists and searches leave it out, and a valid event replaces it', async () => {
    const op = catenaOperation({ payload: { message_text: 'poisoned pineapple', source_recipient_id: 'drv-1' } });
    expect((await send(op)).status).toBe(202);
    // What an older version stored for year 0000 at +01:00.
    await sql`UPDATE operations SET created_at = '-000001-12-31T23:00:00.000Z', updated_at = '-000001-12-31T23:00:00.000Z' WHERE id = ${op.id}`.execute(
      consoleServer.database.db,
    );

    const reads = [
      `/api/operations/${op.id}`,
      '/api/operations?q=pineapple',
      '/api/operations?order=asc',
      '/api/operations?sort=updated_at&order=asc',
      '/api/operations',
      '/api/operations/summary?q=pineapple',
      '/api/operations/timeline',
    ];
    const statuses = Object.fromEntries(await Promise.all(reads.map(async (route) => [route, (await consoleServer.fetch(route)).status])));
    expect(statuses).toEqual(Object.fromEntries(reads.map((route) => [route, route.endsWith(op.id) ? 404 : 200])));
    expect(operationPageSchema.parse(await (await consoleServer.fetch('/api/operations?q=pineapple')).json()).items).toEqual([]);
    expect(consoleServer.logs()).toContain('a stored operation does not read as one');

    const fixed = { ...op, updated_at: new Date().toISOString(), status: 'success' };
    expect((await send(fixed)).status).toBe(202);
    expect((await consoleServer.fetch(`/api/operations/${op.id}`)).status).toBe(200);
  });
});

describe('the reconciler meets an operation that can never be stored', () => {
  let upstream: Server;
  let upstreamUrl: string;
  const good = catenaOperation({ status: 'success' });
  const bad = { ...catenaOperation(), created_at: '0000-01-01T00:00:00+01:00' };

  beforeAll(async () => {
    // A Catena whose list holds one good and one poisoned operation (the simulator never makes one).
    upstream = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url?.startsWith('/realms/')) return response.end(JSON.stringify({ access_token: 'token', expires_in: 300, token_type: 'Bearer' }));
      if (request.url?.startsWith('/v2/integrations/connections/resource-operations'))
        return response.end(JSON.stringify({ items: [bad, good], next_page: null }));
      response.statusCode = 404;
      response.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('stores the rest of the page and counts the one it left out', async () => {
    const reconciling = await startConsole({ catenaUrl: upstreamUrl });
    try {
      await reconciling.reconciler.runOnce();
      expect((await reconciling.fetch(`/api/operations/${good.id}`)).status).toBe(200);
      expect((await reconciling.fetch(`/api/operations/${bad.id}`)).status).toBe(404);
      const health = healthSchema.parse(await (await reconciling.fetch('/api/health')).json());
      expect(health.refused_operations).toMatchObject({
        total: 1,
        last_via: 'reconciler',
        last_reason: 'items.created_at: a time between 1970 and 9999 (UTC)',
      });
    } finally {
      await reconciling.close();
    }
  });
});
