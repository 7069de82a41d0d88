import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { EXPIRED_LEASE_RETENTION_MS, pruneBookkeeping, SIGN_IN_ATTEMPT_RETENTION_MS, WEBHOOK_EVENT_RETENTION_MS } from './housekeeping.ts';

describeEachEngine('pruneBookkeeping', (openStore) => {
  it('forgets event ids and finished keys past a week, and keeps recent ones and keys still in flight', async () => {
    const store = await openStore();
    const now = Date.now();
    const old = new Date(now - WEBHOOK_EVENT_RETENTION_MS - 60_000).toISOString();
    const recent = new Date(now - 60_000).toISOString();
    await sql`INSERT INTO webhook_events (id, event_name, received_at) VALUES
      ('old-event', 'resource_operation.created', ${old}), ('recent-event', 'resource_operation.created', ${recent})`.execute(store.db);
    await sql`INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at) VALUES
      ('messages', 'old-done', 'h', 'done', ${old}), ('messages', 'old-in-flight', 'h', 'in_flight', ${old}), ('messages', 'recent-done', 'h', 'done', ${recent})`.execute(
      store.db,
    );

    expect(await pruneBookkeeping(store, now)).toEqual({ webhookEvents: 1, idempotencyKeys: 1, signInAttempts: 0, leases: 0 });
    expect((await sql<{ id: string }>`SELECT id FROM webhook_events`.execute(store.db)).rows.map((row) => row.id)).toEqual(['recent-event']);
    expect((await sql<{ key: string }>`SELECT key FROM idempotency_keys ORDER BY key`.execute(store.db)).rows.map((row) => row.key)).toEqual([
      'old-in-flight',
      'recent-done',
    ]);
  });

  it('forgets sign-in attempts older than every budget window, and keeps the ones that still count', async () => {
    const store = await openStore();
    const now = Date.now();
    const old = new Date(now - SIGN_IN_ATTEMPT_RETENTION_MS - 60_000).toISOString();
    const recent = new Date(now - 60_000).toISOString();
    await sql`INSERT INTO sign_in_attempts (id, budget, at) VALUES
      ('old-1', 'ip:203.0.113.7', ${old}), ('old-2', 'account:ana@fleet.test', ${old}), ('recent', 'ip:203.0.113.7', ${recent})`.execute(store.db);

    expect(await pruneBookkeeping(store, now)).toEqual({ webhookEvents: 0, idempotencyKeys: 0, signInAttempts: 2, leases: 0 });
    expect((await sql<{ id: string }>`SELECT id FROM sign_in_attempts`.execute(store.db)).rows.map((row) => row.id)).toEqual(['recent']);
  });

  it('forgets leases that ran out over an hour ago, and keeps the ones held or just run out', async () => {
    const store = await openStore();
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    await sql`INSERT INTO leases (name, holder, expires_at) VALUES
      ('refresh:old', 'a', ${at(-EXPIRED_LEASE_RETENTION_MS - 60_000)}), ('refresh:recent', 'a', ${at(-60_000)}), ('leader', 'a', ${at(60_000)})`.execute(
      store.db,
    );

    expect(await pruneBookkeeping(store, now)).toEqual({ webhookEvents: 0, idempotencyKeys: 0, signInAttempts: 0, leases: 1 });
    expect((await sql<{ name: string }>`SELECT name FROM leases ORDER BY name`.execute(store.db)).rows.map((row) => row.name)).toEqual([
      'leader',
      'refresh:recent',
    ]);
  });
});
