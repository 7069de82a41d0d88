import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../server/access/bootstrap-accounts.ts';
import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { healthSchema } from '../../contracts/health-schemas.ts';
import { operationDetailSchema } from '../../contracts/operation-schemas.ts';
import { webhookReplayResultSchema, webhookSubscriptionSchema } from '../../contracts/webhook-subscription-schemas.ts';
import { freePort, signIn, startConsole, TEST_WEBHOOK_SECRET, type RunningConsole } from '../support/console-server.ts';
import { partnerSystem } from '../support/partner-system.ts';
import { eventually, startSimulator, catenaOperations, type RunningSimulator } from '../support/simulator.ts';
import { scalarOf } from '../support/store-queries.ts';
import { startCountingProxy } from '../support/counting-proxy.ts';
import { createTestDatabase } from '../support/postgres-server.ts';
import { postgresTestUrl } from '../support/test-databases.ts';
import { startSwitchableProxy } from '../support/switchable-proxy.ts';

/**
 * Our own webhook subscription (decision 0043): Catena retries a failed delivery only for about 5 s,
 * then parks the event in its dead-letter queue, and its circuit breaker stales a subscription whose
 * deliveries keep failing. A console that was down longer must get every event back by replay.
 * The reconciler is off throughout, so nothing but webhooks can make an operation final here.
 */

let sim: RunningSimulator;
let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
let dataDir: string;
let consoleServer: RunningConsole | undefined;
const catena = () => partnerSystem(sim.url);

beforeAll(async () => {
  sim = await startSimulator();
  // Judge at once, not after Catena's 15 minutes, so a few failed deliveries stale the subscription.
  await sim.control('PUT', '/settings', { webhook_stale_grace_seconds: 0 });
  proxy = await startSwitchableProxy();
  dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-webhook-replay-'));
});
afterAll(async () => {
  await consoleServer?.close();
  await proxy?.close();
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A console on the same store each time, that Catena reaches through the proxy's fixed address. */
async function startOurConsole(extra: { webhookCheckIntervalMs?: number } = {}): Promise<RunningConsole> {
  const port = await freePort();
  proxy.up(`http://127.0.0.1:${port}`);
  const server = await startConsole({
    catenaUrl: sim.url,
    publicUrl: proxy.url,
    port,
    dataDir,
    subscribe: true,
    reconcile: false,
    demoAccounts: true,
    ...extra,
  });
  await server.subscribed;
  return server;
}

async function sendThrough(server: RunningConsole, count: number): Promise<string[]> {
  const { items } = connectionListSchema.parse(await (await server.fetch('/api/connections')).json());
  const northwind = items.find((c) => c.name === 'Northwind Freight');
  if (!northwind) throw new Error('no Northwind Freight');
  const users = async (role: string) =>
    directoryUserListSchema
      .parse(await (await server.fetch(`/api/users?connection_id=${northwind.id}&role=${role}`)).json())
      .items.filter((u) => u.is_active);
  const [dispatcher] = await users('dispatcher');
  const [driver] = await users('driver');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await server.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        connection_id: northwind.id,
        sender_id: dispatcher?.id,
        recipient_id: driver?.id,
        message_text: `Dock ${i + 1} is free`,
      }),
    });
    expect(response.status).toBe(202);
    ids.push(operationDetailSchema.parse(await response.json()).id);
  }
  return ids;
}

async function ourSubscriptionsAtCatena() {
  const { body } = await catena().api<{ items: { id: string; status: string; event_name: string; url: string }[] }>(
    '/v2/notifications/webhooks?size=1000',
  );
  // Catena shows the first path segment of the URL: this file's consoles under the proxy have none.
  return body.items.filter((s) => !s.url.includes('/several/'));
}

describe('the console down for longer than Catena retries', () => {
  it('gets every event back by replay when it is up again, and the subscription ends active', async () => {
    consoleServer = await startOurConsole();
    expect((await ourSubscriptionsAtCatena()).map((s) => s.status)).toEqual(['active', 'active', 'active']);

    // The console goes away: writes made just before it stops complete at Catena while nobody listens.
    proxy.down();
    const ids = await sendThrough(consoleServer, 4);
    await consoleServer.close();
    consoleServer = undefined;

    await eventually(async () => {
      const done = (await catenaOperations(sim)).filter((op) => ids.includes(op.id));
      expect(done.map((op) => op.status)).toEqual(ids.map(() => 'success'));
    });
    // 4 events × (1 + 3 retries) failed for created and for succeeded: Catena's breaker stales both
    // (10 failures in a row); failed had no events and stays active.
    const stale = await eventually(async () => {
      const subs = await ourSubscriptionsAtCatena();
      expect(Object.fromEntries(subs.map((s) => [s.event_name, s.status]))).toEqual({
        'resource_operation.created': 'stale',
        'resource_operation.succeeded': 'stale',
        'resource_operation.failed': 'active',
      });
      return subs;
    }, 15_000);
    const dlq = async () => {
      let total = 0;
      for (const s of stale) total += (await catena().api<{ dlq_count: number }>(`/v2/notifications/webhooks/${s.id}/metrics`)).body.dlq_count;
      return total;
    };
    // Created and succeeded for each of the 4 (failed has none): an event whose last retry was still
    // in flight when the breaker tripped reaches the queue a moment later.
    await eventually(async () => expect(await dlq()).toBe(8), 15_000);

    // Up again, on the same store: the leader reactivates and replays at start, nobody has to click.
    consoleServer = await startOurConsole();
    const running = consoleServer;
    for (const id of ids) {
      const op = await eventually(async () => {
        const read = operationDetailSchema.parse(await (await running.fetch(`/api/operations/${id}`)).json());
        expect(read.status).toBe('success');
        return read;
      }, 15_000);
      expect(op.attempt_count).toBe(1);
      expect(await scalarOf(running.database, sql`SELECT seen_via FROM operations WHERE id = ${id}`)).toBe('webhook');
    }

    const view = await eventually(async () => {
      const parsed = webhookSubscriptionSchema.parse(await (await running.fetch('/api/webhook-subscription')).json());
      expect(parsed).toMatchObject({ status: 'active', metrics: { dlq_count: 0 } });
      return parsed;
    }, 15_000);
    expect(view.subscriptions.map((s) => s.status)).toEqual(['active', 'active', 'active']);
    expect(view.metrics.attempts_24h).toBeGreaterThan(view.metrics.succeeded_attempts_24h);
    expect(view.last_failures.length).toBeGreaterThan(0);
    // The cut connections show as "no answer" (null), never with the webhook URL or the secret.
    expect(view.last_failures[0]).toMatchObject({ status_code: null, error_message: expect.any(String) });
    const text = JSON.stringify(view);
    expect(text).not.toContain(TEST_WEBHOOK_SECRET);
    expect(text).not.toContain('/webhooks/catena');
    expect(await dlq()).toBe(0);
  });
});

describe('GET /api/webhook-subscription and the replay button', () => {
  it('admins see a paused subscription and bring it back; the header says it in one word; others may not', async () => {
    const running = consoleServer ?? (await startOurConsole());
    consoleServer = running;
    const [first] = await ourSubscriptionsAtCatena();
    if (!first) throw new Error('no subscription');
    await catena().api(`/v2/notifications/webhooks/${first.id}/pause`, { method: 'POST' });

    // Reads are shared for 5 s, so the pause shows within that.
    const view = await eventually(async () => {
      const read = webhookSubscriptionSchema.parse(await (await running.fetch('/api/webhook-subscription')).json());
      expect(read.status).toBe('paused');
      return read;
    }, 10_000);
    expect(view.subscriptions.filter((s) => s.status === 'paused')).toHaveLength(1);
    // What one read learnt, every server's health says (from the store), without asking Catena.
    expect(healthSchema.parse(await (await running.fetch('/api/health')).json()).webhooks.subscription).toBe('paused');
    const viewer = DEMO_ACCOUNTS.find((a) => a.role === 'viewer');
    if (!viewer) throw new Error('no demo viewer');
    const asViewer = await signIn(running.url, viewer.email, viewer.password);
    expect(healthSchema.parse(await (await asViewer.fetch('/api/health')).json()).webhooks.subscription).toBe('paused');
    expect((await asViewer.fetch('/api/webhook-subscription')).status).toBe(403);
    expect((await asViewer.fetch('/api/webhook-subscription/replay', { method: 'POST' })).status).toBe(403);
    // A replay without the session's CSRF token is refused, with the reason.
    const noCsrf = await fetch(`${running.url}/api/webhook-subscription/replay`, {
      method: 'POST',
      headers: { cookie: (await signIn(running.url, 'admin@console.test', 'test-admin-password-1')).cookie },
    });
    expect(noCsrf.status).toBe(403);

    const replay = await running.fetch('/api/webhook-subscription/replay', { method: 'POST' });
    expect(replay.status).toBe(200);
    const result = webhookReplayResultSchema.parse(await replay.json());
    expect(result).toMatchObject({ reactivated: 1, subscription: { status: 'active' } });
    const audit = (await (await running.fetch('/api/audit?action=webhooks_replayed')).json()) as { items: { action: string; details: unknown }[] };
    expect(audit.items[0]).toMatchObject({ action: 'webhooks_replayed', details: { reactivated: 1, replayed: 0 } });
  });
});

describe('the leader between full checks', () => {
  it('brings a subscription someone paused back within one state check, and the header follows', async () => {
    await consoleServer?.close();
    consoleServer = await startOurConsole({ webhookCheckIntervalMs: 300 });
    const running = consoleServer;
    const [first] = await ourSubscriptionsAtCatena();
    if (!first) throw new Error('no subscription');
    await catena().api(`/v2/notifications/webhooks/${first.id}/pause`, { method: 'POST' });
    await eventually(async () => {
      expect((await ourSubscriptionsAtCatena()).map((s) => s.status)).toEqual(['active', 'active', 'active']);
      expect(healthSchema.parse(await (await running.fetch('/api/health')).json()).webhooks.subscription).toBe('active');
    }, 5_000);
  });
});

describe('many admins polling the Webhooks page', () => {
  it('costs one read of Catena per few seconds, not one per admin', async () => {
    await consoleServer?.close();
    consoleServer = undefined;
    const upstream = await startCountingProxy(sim.url);
    const port = await freePort();
    proxy.up(`http://127.0.0.1:${port}`);
    // Same store, so it knows its subscriptions; Catena through a counting proxy; no leader duties to count.
    const watched = await startConsole({ catenaUrl: upstream.url, publicUrl: proxy.url, port, dataDir, subscribe: false, reconcile: false });
    try {
      const webhookCalls = () => upstream.count((r) => r.path.startsWith('/v2/notifications/webhooks'));
      const answers = await Promise.all(Array.from({ length: 50 }, () => watched.fetch('/api/webhook-subscription')));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      // One list, then metrics and failed logs for each of the three subscriptions.
      expect(webhookCalls()).toBe(7);
      for (let i = 0; i < 20; i++) await watched.fetch('/api/webhook-subscription');
      expect(webhookCalls()).toBe(7);
    } finally {
      await watched.close();
      await upstream.close();
    }
  });
});

describe('many admins pressing "replay" at once', () => {
  it('reactivate and replay Catena once, not once per press', async () => {
    await consoleServer?.close();
    consoleServer = undefined;
    const upstream = await startCountingProxy(sim.url);
    const port = await freePort();
    proxy.up(`http://127.0.0.1:${port}`);
    const pressed = await startConsole({ catenaUrl: upstream.url, publicUrl: proxy.url, port, dataDir, subscribe: false, reconcile: false });
    try {
      const [first] = await ourSubscriptionsAtCatena();
      if (!first) throw new Error('no subscription');
      await catena().api(`/v2/notifications/webhooks/${first.id}/pause`, { method: 'POST' });
      const answers = await Promise.all(Array.from({ length: 10 }, () => pressed.fetch('/api/webhook-subscription/replay', { method: 'POST' })));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      const results = await Promise.all(answers.map(async (a) => webhookReplayResultSchema.parse(await a.json())));
      expect(results.map((r) => r.subscription.status)).toEqual(results.map(() => 'active'));
      expect(upstream.count((r) => r.method === 'POST' && r.path.endsWith('/activate'))).toBe(1);
      expect((await ourSubscriptionsAtCatena()).map((s) => s.status)).toEqual(['active', 'active', 'active']);
    } finally {
      await pressed.close();
      await upstream.close();
    }
  });
});

describe('several servers on one PostgreSQL', () => {
  it('every server’s header says what one server read of the subscription', async () => {
    await consoleServer?.close();
    consoleServer = undefined;
    const database = await createTestDatabase(postgresTestUrl());
    const shared = { catenaUrl: sim.url, subscribe: true, publicUrl: 'http://127.0.0.1:9/several', databaseUrl: database.url, leaseCheckMs: 200 };
    const a = await startConsole(shared);
    const b = await startConsole(shared);
    try {
      // Whichever leads subscribes (a, most likely: it started first).
      await Promise.race([a.subscribed, b.subscribed]);
      const all = await catena().api<{ items: { id: string; url: string }[] }>('/v2/notifications/webhooks?size=1000');
      const first = all.body.items.find((s) => s.url.includes('/several/'));
      if (!first) throw new Error('no subscription');
      // The servers' subscriptions (one set, made by the leader); pause one of them at Catena.
      await catena().api(`/v2/notifications/webhooks/${first.id}/pause`, { method: 'POST' });
      await eventually(async () => {
        const read = webhookSubscriptionSchema.parse(await (await a.fetch('/api/webhook-subscription')).json());
        expect(read.status).toBe('paused');
      }, 10_000);
      expect(healthSchema.parse(await (await b.fetch('/api/health')).json()).webhooks.subscription).toBe('paused');
    } finally {
      await b.close();
      await a.close();
      await database.drop();
    }
  });
});
