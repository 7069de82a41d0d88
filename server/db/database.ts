import Database from 'better-sqlite3';
import path from 'node:path';
import { ensurePrivateDir, protectDatabaseFiles } from './data-files.ts';
import { migrations } from './migrations.ts';

export type SqliteDatabase = Database.Database;

/**
 * Opens the console's SQLite file (or `:memory:`) and brings its schema up to date.
 * WAL lets readers (the SPA's polling) proceed while a webhook or the reconciler writes.
 */
export function openDatabase(dataDir: string | ':memory:'): SqliteDatabase {
  const file = dataDir === ':memory:' ? ':memory:' : path.join(dataDir, 'console.db');
  if (file !== ':memory:') {
    ensurePrivateDir(dataDir);
    protectDatabaseFiles(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // The WAL and shared-memory files exist now (made with the database file's mode); make sure.
  if (file !== ':memory:') protectDatabaseFiles(file);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  // Lets the planner learn the data's shape (which filter narrows most); cheap when nothing changed.
  db.pragma('optimize=0x10002');
  return db;
}

/** Refreshes the planner's statistics; the server calls it now and then as the store grows. */
export function optimizeDatabase(db: SqliteDatabase): void {
  db.pragma('optimize=0x10002');
}

function migrate(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1;
    if (applied.has(version)) continue;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    })();
  }
}
