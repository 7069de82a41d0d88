import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { operationListQuerySchema, type OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { AccountStore } from '../../server/access/account-store.ts';
import { SessionStore } from '../../server/access/session-store.ts';
import { AuditLog } from '../../server/audit/audit-log.ts';
import { BroadcastStore } from '../../server/broadcasts/broadcast-store.ts';
import { openDatabase, type StoreDatabase } from '../../server/db/database.ts';
import { SettingsStore } from '../../server/db/settings-store.ts';
import { copyStore } from '../../server/db/store-copy.ts';
import { TABLES_IN_ORDER } from '../../server/db/schema.ts';
import { IdempotencyStore } from '../../server/messages/idempotency-store.ts';
import { SqlOperationsStore } from '../../server/operations/operations-store.ts';
import { SendStore } from '../../server/sending/send-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres-server.ts';
import { scalarOf } from '../support/store-queries.ts';
import { postgresTestUrl } from '../support/test-databases.ts';
import { sql } from 'kysely';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONNECTION = 'c0ffee00-0000-4000-8000-000000000001';
const page = (request: Record<string, unknown> = {}) => operationListQuerySchema.parse({ limit: 50, ...request });

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function operation(index: number, overrides: Partial<OperationWithLogs> = {}): OperationWithLogs {
  const at = new Date(Date.UTC(2026, 10, 30, 8, 0, index)).toISOString();
  const failed = index % 7 === 0;
  const id = overrides.id ?? randomUUID();
  return {
    id,
    logs: [
      {
        id: randomUUID(),
        created_at: at,
        updated_at: at,
        resource_operation_id: id,
        status: failed ? 'failed' : 'success',
        error_type: failed ? 'tsp' : null,
        error_details: failed ? 'TSP down' : null,
      },
    ],
    created_at: at,
    updated_at: at,
    partner_id: randomUUID(),
    connection_id: CONNECTION,
    fleet_ref: null,
    source_name: 'geotab',
    resource: index % 5 === 0 ? 'vehicle' : 'message',
    resource_id: failed ? null : randomUUID(),
    source_id: null,
    operation_type: index % 5 === 0 ? 'update' : 'create',
    status: failed ? 'failed' : 'success',
    payload:
      index % 5 === 0
        ? { vin: `1FTFW1E5${index}`, vehicle_name: `Unit ${index}` }
        : { message_text: `Dock ${index} is ready`, recipient_id: randomUUID(), sender_id: randomUUID() },
    attempt_count: failed ? 3 : 1,
    last_error_type: failed ? 'tsp' : null,
    ...overrides,
  };
}

/**
 * A SQLite store as the current release leaves it (schema version 8), holding a bit of everything:
 * operations with search keys and names, a resend chain, a broadcast and its sends, accounts, a
 * session, audit entries, idempotency keys, settings. Written through the stores, then taken back
 * to version 8 (the tables of version 9 dropped), as a team upgrading would have it.
 */
async function storeOfTodaysRelease(): Promise<{ dataDir: string; ids: string[]; resent: string; broadcastId: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-copy-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const store = await openDatabase({ dataDir });
  const operations = new SqlOperationsStore(store);
  const ops = Array.from({ length: 1200 }, (_, index) => operation(index));
  await operations.upsertMany(ops, 'reconciler');
  const driver = String(ops[1]?.payload.recipient_id);
  await operations.rememberNames([{ id: driver, kind: 'user', connection_id: CONNECTION, name: 'Dana Whitfield' }]);
  const failed = ops.find((op) => op.status === 'failed');
  if (!failed) throw new Error('no failed operation to resend');
  const resend = operation(5000, { resource: 'message', operation_type: 'create', payload: failed.payload });
  await operations.upsert(resend, 'console');
  await operations.linkResend(resend.id, failed.id);
  const sends = new SendStore(store);
  const broadcastId = await new BroadcastStore(store, sends).create({
    connection_id: CONNECTION,
    connection_name: 'Prairie Haulers',
    tsp: 'geotab',
    sender_id: randomUUID(),
    sender_name: 'Dana',
    message_text: 'Yard closes at 6',
    priority: null,
    all_drivers: true,
    recipients: [
      { id: randomUUID(), name: 'Ana' },
      { id: randomUUID(), name: 'Ben' },
    ],
    resend_of: null,
    created_by: null,
  });
  const accounts = new AccountStore(store);
  const admin = await accounts.create({ email: 'admin@team.example', name: 'Admin', role: 'admin', password: 'a-long-enough-password' });
  await new SessionStore(store, { idleMs: 3_600_000, absoluteMs: 3_600_000 }).create(admin.id);
  const audit = new AuditLog(store);
  for (let index = 0; index < 30; index += 1)
    await audit.record({ actor: { id: admin.id, email: admin.email }, action: index % 2 ? 'message_sent' : 'sign_in', ip: '10.0.0.1' });
  const idempotency = new IdempotencyStore(store);
  await idempotency.claim('messages', 'key-1', 'hash');
  await idempotency.complete('messages', 'key-1', 202, { id: resend.id }, resend.id);
  await new SettingsStore(store).set('reconciler.progress', { covered_from_start_of: '2026-11-30T08:00:00.000Z' });
  await store.close();

  const raw = new Database(path.join(dataDir, 'console.db'));
  raw.exec(
    'DROP TABLE leases; DROP TABLE sign_in_attempts; ALTER TABLE sends DROP COLUMN answer_by; DROP INDEX operation_fields_by_operation; DROP TABLE incidents; DROP TABLE incident_operations; DROP INDEX operations_connection_status_updated; DELETE FROM schema_migrations WHERE version > 8;',
  );
  raw.close();
  return { dataDir, ids: ops.map((op) => op.id), resent: failed.id, broadcastId };
}

async function countsOf(store: StoreDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES_IN_ORDER) counts[table] = Number(await scalarOf(store, sql`SELECT COUNT(*) FROM ${sql.table(table)}`));
  return counts;
}

async function emptyPostgres(): Promise<TestDatabase> {
  const database = await createTestDatabase(postgresTestUrl());
  cleanups.push(() => database.drop());
  return database;
}

describe('moving a SQLite store to PostgreSQL (npm run store:copy)', () => {
  it("copies a store of today's release with nothing lost: every row, the same answers, searchable, resend chains intact", async () => {
    const { dataDir, ids, resent, broadcastId } = await storeOfTodaysRelease();
    const target = await emptyPostgres();

    const report = await copyStore({ fromDataDir: dataDir, toUrl: target.url });
    expect(report.find((entry) => entry.table === 'operations')?.rows).toBe(1201);

    const sqlite = await openDatabase({ dataDir });
    const postgres = await openDatabase({ databaseUrl: target.url });
    try {
      const expected = await countsOf(sqlite);
      expect(expected.operations).toBe(1201);
      expect(expected.sends).toBe(2);
      expect(expected.audit_log).toBe(30);
      expect({ ...(await countsOf(postgres)), leases: 0 }).toEqual({ ...expected, leases: 0 });

      const [from, to] = [new SqlOperationsStore(sqlite), new SqlOperationsStore(postgres)];
      // A sample of answers, the same from both stores.
      expect(await to.list({}, page())).toEqual(await from.list({}, page()));
      expect(await to.list({ status: ['failed'] }, page({ limit: 20 }))).toEqual(await from.list({ status: ['failed'] }, page({ limit: 20 })));
      expect(await to.summary({})).toEqual(await from.summary({}));
      for (const id of [ids[0], ids[599], ids[1199], resent]) {
        const original = await from.get(id ?? '');
        expect(original?.id).toBe(id);
        expect(await to.get(id ?? '')).toEqual(original);
      }
      expect((await to.get(resent))?.resent_as).toHaveLength(1);
      // Search keys came along: by words, by the start of an id, by a field, by a driver's name.
      for (const q of ['dock 1199', ids[42]?.slice(0, 8) ?? '', 'vin:1ftfw1e5', 'Dana']) {
        const found = (await from.list({ q }, page())).items.map((op) => op.id).sort();
        expect(found.length, `"${q}" finds something`).toBeGreaterThan(0);
        expect((await to.list({ q }, page())).items.map((op) => op.id).sort()).toEqual(found);
      }
      const broadcastOn = async (store: StoreDatabase) => new BroadcastStore(store, new SendStore(store)).get(broadcastId);
      expect(await broadcastOn(postgres)).toEqual(await broadcastOn(sqlite));
      expect(await new AccountStore(postgres).list()).toEqual(await new AccountStore(sqlite).list());
      const auditQuery = { limit: 100 };
      expect(await new AuditLog(postgres).list(auditQuery)).toEqual(await new AuditLog(sqlite).list(auditQuery));
      expect(await new IdempotencyStore(postgres).peek('messages', 'key-1', 'hash')).toEqual(
        await new IdempotencyStore(sqlite).peek('messages', 'key-1', 'hash'),
      );

      // The copied store goes on as a store: new audit entries follow the copied ones.
      await new AuditLog(postgres).record({ actor: null, action: 'sign_in_failed', ip: '10.0.0.2' });
      const newest = (await new AuditLog(postgres).list({ limit: 1 })).items[0];
      expect(newest?.action).toBe('sign_in_failed');
      expect(newest?.id).toBe(31);
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  }, 60_000);

  it('refuses to copy into a PostgreSQL store that holds anything, and says so; nothing is written', async () => {
    const { dataDir } = await storeOfTodaysRelease();
    const target = await emptyPostgres();
    const used = await openDatabase({ databaseUrl: target.url });
    await new AccountStore(used).create({ email: 'someone@else.example', name: 'Someone', role: 'viewer', password: 'another-long-password' });
    await used.close();

    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/store-copy.ts'), '--to', target.url, '--from', dataDir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The PostgreSQL store is not empty (accounts already hold rows)');
    const after = await openDatabase({ databaseUrl: target.url });
    try {
      expect(Number(await scalarOf(after, sql`SELECT COUNT(*) FROM operations`))).toBe(0);
      expect(Number(await scalarOf(after, sql`SELECT COUNT(*) FROM accounts`))).toBe(1);
    } finally {
      await after.close();
    }
  }, 60_000);

  it('says how to call it when the target is missing, and that there is no store where --from points', () => {
    const noTarget = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/store-copy.ts')], { cwd: ROOT, encoding: 'utf8' });
    expect(noTarget.status).toBe(2);
    expect(noTarget.stderr).toContain('npm run store:copy -- --to postgres://');
    const nowhere = mkdtempSync(path.join(tmpdir(), 'fleetops-copy-none-'));
    cleanups.push(() => rmSync(nowhere, { recursive: true, force: true }));
    const noStore = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'server/cli/store-copy.ts'), '--to', 'postgres://127.0.0.1:1/none', '--from', nowhere],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(noStore.status).toBe(1);
    expect(noStore.stderr).toContain(`There is no SQLite store at ${path.join(nowhere, 'console.db')}`);
  }, 30_000);
});
