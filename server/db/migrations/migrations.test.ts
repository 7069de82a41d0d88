import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { migrations } from './migrations.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A store as the previous release left it: the first five migrations, with broadcasts and a resend broadcast. */
function storeOfThePreviousRelease(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetops-migrate-'));
  dirs.push(dir);
  const db = new Database(path.join(dir, 'console.db'));
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  migrations.slice(0, 5).forEach((sql, index) => {
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(index + 1, new Date().toISOString());
  });
  const op = db.prepare(
    `INSERT INTO operations (id, connection_id, partner_id, source_name, resource, operation_type, status, payload, logs, attempt_count, message_text, created_at, updated_at, seen_via, stored_at)
     VALUES (?, ?, ?, 'geotab', 'message', 'create', ?, ?, '[]', 1, 'Hi', ?, ?, 'console', ?)`,
  );
  const at = (m: number) => new Date(Date.UTC(2026, 10, 30, 12, m)).toISOString();
  op.run(id(11), id(1), id(2), 'failed', JSON.stringify({ recipient_id: id(21), message_text: 'Hi' }), at(0), at(1), at(1));
  op.run(id(12), id(1), id(2), 'success', JSON.stringify({ recipient_id: id(22), message_text: 'Hi' }), at(0), at(1), at(1));
  op.run(id(13), id(1), id(2), 'success', JSON.stringify({ recipient_id: id(21), message_text: 'Hi' }), at(5), at(6), at(6));
  const broadcast = db.prepare(
    `INSERT INTO broadcasts (id, created_at, connection_id, connection_name, tsp, sender_id, sender_name, message_text, all_drivers, recipient_count, resend_of, created_by_name)
     VALUES (?, ?, ?, 'Prairie Haulers', 'geotab', ?, 'Dana', 'Hi', 1, ?, ?, 'Admin')`,
  );
  broadcast.run(id(31), at(0), id(1), id(3), 2, null);
  broadcast.run(id(32), at(5), id(1), id(3), 1, id(31));
  const recipient = db.prepare(`INSERT INTO broadcast_recipients (broadcast_id, position, recipient_id, name, state, operation_id) VALUES (?, ?, ?, ?, 'submitted', ?)`);
  recipient.run(id(31), 0, id(21), 'Ana', id(11));
  recipient.run(id(31), 1, id(22), 'Ben', id(12));
  recipient.run(id(32), 0, id(21), 'Ana', id(13));
  db.close();
  return dir;
}

describe('migrating a store of the previous release', () => {
  it('keeps every broadcast recipient as a send, and joins an old resend broadcast into its recipient\'s chain', () => {
    const db = openDatabase(storeOfThePreviousRelease());
    try {
      const sends = db.prepare('SELECT batch_id, recipient_id, recipient_name, state, operation_id, message_text, account_name FROM sends ORDER BY batch_id, position').all();
      expect(sends).toEqual([
        { batch_id: id(31), recipient_id: id(21), recipient_name: 'Ana', state: 'submitted', operation_id: id(11), message_text: 'Hi', account_name: 'Admin' },
        { batch_id: id(31), recipient_id: id(22), recipient_name: 'Ben', state: 'submitted', operation_id: id(12), message_text: 'Hi', account_name: 'Admin' },
        { batch_id: id(32), recipient_id: id(21), recipient_name: 'Ana', state: 'submitted', operation_id: id(13), message_text: 'Hi', account_name: 'Admin' },
      ]);
      expect(db.prepare('SELECT operation_id, resend_of, chain_id FROM operation_links').all()).toEqual([{ operation_id: id(13), resend_of: id(11), chain_id: id(11) }]);
      expect(db.prepare('SELECT COUNT(*) FROM operations').pluck().get()).toBe(3);
    } finally {
      db.close();
    }
  });
});
