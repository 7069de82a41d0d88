import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaseStore } from '../../coordination/lease-store.ts';
import { SqlOperationsStore } from '../../operations/operations-store.ts';
import { openDatabase } from '../database.ts';
import { SCHEMA_VERSION, sqliteMigrations } from './sqlite-migrations.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (m: number) => new Date(Date.UTC(2026, 10, 30, 12, m)).toISOString();

/** A SQLite store with the first `upTo` migrations applied, as a release of that schema left it (rows are the caller's). */
function storeAtVersion(upTo: number): { dir: string; db: Database.Database } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetops-migrate-'));
  dirs.push(dir);
  const db = new Database(path.join(dir, 'console.db'));
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const migration of sqliteMigrations.slice(0, upTo)) {
    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(migration.version, new Date().toISOString());
  }
  return { dir, db };
}

/** Opens the store with this version (which migrates it), closes it, and gives a raw handle on the file to look at. */
async function upgraded(dir: string): Promise<Database.Database> {
  const store = await openDatabase({ dataDir: dir });
  await store.close();
  return new Database(path.join(dir, 'console.db'), { readonly: true });
}

/** A store as the previous release left it: the first five migrations, with broadcasts and a resend broadcast. */
function storeOfThePreviousRelease(): string {
  const { dir, db } = storeAtVersion(5);
  const op = db.prepare(
    `INSERT INTO operations (id, connection_id, partner_id, source_name, resource, operation_type, status, payload, logs, attempt_count, message_text, created_at, updated_at, seen_via, stored_at)
     VALUES (?, ?, ?, 'geotab', 'message', 'create', ?, ?, '[]', 1, 'Hi', ?, ?, 'console', ?)`,
  );
  op.run(id(11), id(1), id(2), 'failed', JSON.stringify({ recipient_id: id(21), message_text: 'Hi' }), at(0), at(1), at(1));
  op.run(id(12), id(1), id(2), 'success', JSON.stringify({ recipient_id: id(22), message_text: 'Hi' }), at(0), at(1), at(1));
  op.run(id(13), id(1), id(2), 'success', JSON.stringify({ recipient_id: id(21), message_text: 'Hi' }), at(5), at(6), at(6));
  const broadcast = db.prepare(
    `INSERT INTO broadcasts (id, created_at, connection_id, connection_name, tsp, sender_id, sender_name, message_text, all_drivers, recipient_count, resend_of, created_by_name)
     VALUES (?, ?, ?, 'Prairie Haulers', 'geotab', ?, 'Dana', 'Hi', 1, ?, ?, 'Admin')`,
  );
  broadcast.run(id(31), at(0), id(1), id(3), 2, null);
  broadcast.run(id(32), at(5), id(1), id(3), 1, id(31));
  const recipient = db.prepare(
    `INSERT INTO broadcast_recipients (broadcast_id, position, recipient_id, name, state, operation_id) VALUES (?, ?, ?, ?, 'submitted', ?)`,
  );
  recipient.run(id(31), 0, id(21), 'Ana', id(11));
  recipient.run(id(31), 1, id(22), 'Ben', id(12));
  recipient.run(id(32), 0, id(21), 'Ana', id(13));
  db.close();
  return dir;
}

/** Rows in every table a store of version 8 has, as that release wrote them. */
function storeOfVersion8(): string {
  const { dir, db } = storeAtVersion(8);
  db.prepare(
    `INSERT INTO operations (id, connection_id, partner_id, source_name, resource, operation_type, status, payload, logs, attempt_count, message_text, created_at, updated_at, seen_via, stored_at)
     VALUES (?, ?, ?, 'samsara', 'message', 'create', 'failed', ?, '[]', 1, 'Reefer alarm at Fresno yard', ?, ?, 'webhook', ?)`,
  ).run(id(11), id(1), id(2), JSON.stringify({ recipient_id: id(21), message_text: 'Reefer alarm at Fresno yard' }), at(0), at(1), at(1));
  db.prepare('INSERT INTO operation_ids (value, operation_id) VALUES (?, ?)').run(id(11), id(11));
  db.prepare(`INSERT INTO operation_fields (field, value, operation_id) VALUES ('recipient_id', ?, ?)`).run(id(21), id(11));
  db.prepare(`INSERT INTO record_names (id, kind, connection_id, name) VALUES (?, 'user', ?, 'Ana Lima')`).run(id(21), id(1));
  db.prepare(`INSERT INTO webhook_events (id, event_name, received_at) VALUES ('evt-1', 'resource_operation.failed', ?)`).run(at(1));
  db.prepare(
    `INSERT INTO idempotency_keys (scope, key, request_hash, state, status_code, response, operation_id, created_at) VALUES ('messages', 'k-1', 'h', 'done', 201, '{}', ?, ?)`,
  ).run(id(11), at(0));
  db.prepare(`INSERT INTO settings (key, value) VALUES ('reconciler', '{"at":"2026-11-30T12:00:00.000Z"}')`).run();
  db.prepare(
    `INSERT INTO accounts (id, email, name, role, password_hash, created_at, updated_at) VALUES (?, 'admin@fleet.test', 'Admin', 'admin', 'hash', ?, ?)`,
  ).run(id(41), at(0), at(0));
  db.prepare(`INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES ('t', ?, 'c', ?, ?)`).run(
    id(41),
    at(0),
    at(0),
  );
  db.prepare(`INSERT INTO audit_log (at, actor_id, action) VALUES (?, ?, 'account.created')`).run(at(0), id(41));
  db.prepare(
    `INSERT INTO sends (id, connection_id, sender_id, recipient_id, message_text, state, operation_id, created_at) VALUES (?, ?, ?, ?, 'Reefer alarm at Fresno yard', 'submitted', ?, ?)`,
  ).run(id(51), id(1), id(3), id(21), id(11), at(0));
  db.close();
  return dir;
}

const TABLES_OF_VERSION_8 = [
  'operations',
  'operation_ids',
  'operation_fields',
  'record_names',
  'webhook_events',
  'idempotency_keys',
  'settings',
  'accounts',
  'sessions',
  'audit_log',
  'sends',
] as const;

describe('migrating a store of the previous release', () => {
  it("keeps every broadcast recipient as a send, and joins an old resend broadcast into its recipient's chain", async () => {
    const db = await upgraded(storeOfThePreviousRelease());
    try {
      const sends = db
        .prepare(
          'SELECT batch_id, recipient_id, recipient_name, state, operation_id, message_text, account_name FROM sends ORDER BY batch_id, position',
        )
        .all();
      expect(sends).toEqual([
        {
          batch_id: id(31),
          recipient_id: id(21),
          recipient_name: 'Ana',
          state: 'submitted',
          operation_id: id(11),
          message_text: 'Hi',
          account_name: 'Admin',
        },
        {
          batch_id: id(31),
          recipient_id: id(22),
          recipient_name: 'Ben',
          state: 'submitted',
          operation_id: id(12),
          message_text: 'Hi',
          account_name: 'Admin',
        },
        {
          batch_id: id(32),
          recipient_id: id(21),
          recipient_name: 'Ana',
          state: 'submitted',
          operation_id: id(13),
          message_text: 'Hi',
          account_name: 'Admin',
        },
      ]);
      expect(db.prepare('SELECT operation_id, resend_of, chain_id FROM operation_links').all()).toEqual([
        { operation_id: id(13), resend_of: id(11), chain_id: id(11) },
      ]);
      expect(db.prepare('SELECT COUNT(*) FROM operations').pluck().get()).toBe(3);
    } finally {
      db.close();
    }
  });
});

describe('migrating a store of version 8 (before several servers could share one)', () => {
  it('keeps every row and gains the leases and sign-in attempts, at the newest version', async () => {
    const dir = storeOfVersion8();
    const before = new Database(path.join(dir, 'console.db'), { readonly: true });
    const countsBefore = Object.fromEntries(
      TABLES_OF_VERSION_8.map((table) => [table, before.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()]),
    );
    before.close();
    expect(Object.values(countsBefore).every((count) => count === 1)).toBe(true);

    const db = await upgraded(dir);
    try {
      const countsAfter = Object.fromEntries(TABLES_OF_VERSION_8.map((table) => [table, db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()]));
      expect(countsAfter).toEqual(countsBefore);
      expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(SCHEMA_VERSION);
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('leases', 'sign_in_attempts') ORDER BY name`)
        .pluck()
        .all();
      expect(tables).toEqual(['leases', 'sign_in_attempts']);
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'sign_in_attempts_budget'`).pluck().get()).toBe(
        'sign_in_attempts_budget',
      );
    } finally {
      db.close();
    }
  });

  it('serves the upgraded store: old operations are still found by their words, and leases can be taken', async () => {
    const store = await openDatabase({ dataDir: storeOfVersion8() });
    try {
      const operations = new SqlOperationsStore(store);
      const found = await operations.list({ q: 'fresno' }, { sort: 'created_at', order: 'desc', limit: 10 });
      expect(found.items.map((item) => item.id)).toEqual([id(11)]);
      expect(await new LeaseStore(store).acquire('leader', 'server-a', 10_000)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
