import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import path from 'node:path';
import { Pool, types } from 'pg';
import { ensurePrivateDir, protectDatabaseFiles } from './data-files.ts';
import { postgresDialect, sqliteDialect, type Dialect } from './dialect.ts';
import { postgresMigrations } from './migrations/postgres-migrations.ts';
import { sqliteMigrations, type Migration } from './migrations/sqlite-migrations.ts';
import type { Tables } from './schema.ts';

/**
 * The console's store: a Kysely instance over SQLite (a file in the data directory, the default)
 * or PostgreSQL (`DATABASE_URL`, shared by several servers), with the dialect that says what the
 * two write differently. Stores take this; nothing else sees a database handle.
 */
export type StoreDatabase = {
  db: Kysely<Tables>;
  dialect: Dialect;
  /** Resolves once the store answers a trivial query (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type StoreLocation = { databaseUrl: string } | { dataDir: string | ':memory:' };

/** Opens the store and brings its schema up to date. */
export async function openDatabase(location: StoreLocation): Promise<StoreDatabase> {
  return 'databaseUrl' in location ? openPostgres(location.databaseUrl) : openSqlite(location.dataDir);
}

/**
 * SQLite: WAL lets readers (the SPA's polling) proceed while a webhook or the reconciler writes;
 * Kysely's driver runs one statement or transaction at a time on the one connection.
 */
async function openSqlite(dataDir: string | ':memory:'): Promise<StoreDatabase> {
  const file = dataDir === ':memory:' ? ':memory:' : path.join(dataDir, 'console.db');
  if (file !== ':memory:') {
    ensurePrivateDir(dataDir);
    protectDatabaseFiles(file);
  }
  const handle = new Database(file);
  handle.pragma('journal_mode = WAL');
  // The WAL and shared-memory files exist now (made with the database file's mode); make sure.
  if (file !== ':memory:') protectDatabaseFiles(file);
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  migrateSqlite(handle, sqliteMigrations);
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(handle) }) });
  // Lets the planner learn the data's shape (which filter narrows most); cheap when nothing changed.
  await sqliteDialect.optimize(db);
  return { db, dialect: sqliteDialect, ping: () => pingOf(db), close: () => db.destroy() };
}

/** PostgreSQL: a pool; `bigint` counts read as numbers (they stay far below 2^53 here). */
async function openPostgres(databaseUrl: string): Promise<StoreDatabase> {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 10,
    // A store that stops answering fails requests (a webhook gets its 503, the leader stops leading)
    // rather than leaving them waiting for ever on a connection or a statement.
    connectionTimeoutMillis: 5_000,
    statement_timeout: 30_000,
    query_timeout: 35_000,
    types: { getTypeParser: (oid: number, format?: string) => (oid === 20 ? Number : types.getTypeParser(oid, format as 'text')) },
  });
  // An idle client that loses its connection must not crash the server; the pool replaces it, and
  // the next query that needs the store reports what is wrong.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool, postgresMigrations);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: postgresDialect, ping: () => pingOf(db), close: () => db.destroy() };
}

async function pingOf(db: Kysely<Tables>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

const SCHEMA_MIGRATIONS = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)';

/** Applies, each in its own transaction, every migration past the newest one applied. */
function migrateSqlite(handle: Database.Database, migrations: readonly Migration[]): void {
  handle.exec(SCHEMA_MIGRATIONS);
  const newest = Number(handle.prepare('SELECT COALESCE(MAX(version), 0) FROM schema_migrations').pluck().get());
  for (const migration of migrations) {
    if (migration.version <= newest) continue;
    handle.transaction(() => {
      handle.exec(migration.sql);
      handle.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, new Date().toISOString());
    })();
  }
}

/** The same for PostgreSQL, under an advisory lock: servers starting together migrate one after the other. */
async function migratePostgres(pool: Pool, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtextextended('fleetops:migrations', 0))`);
    await client.query(SCHEMA_MIGRATIONS);
    const { rows } = await client.query<{ newest: number }>('SELECT COALESCE(MAX(version), 0) AS newest FROM schema_migrations');
    const newest = Number(rows[0]?.newest ?? 0);
    for (const migration of migrations) {
      if (migration.version <= newest) continue;
      await client.query('BEGIN');
      try {
        // No parameters: the simple protocol, which runs a migration's several statements.
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    // A connection whose unlock failed may still hold the lock: it is closed, not given back to the pool.
    const unlocked = await client.query(`SELECT pg_advisory_unlock(hashtextextended('fleetops:migrations', 0))`).then(
      () => true,
      () => false,
    );
    client.release(!unlocked);
  }
}

/** Statements kept prepared; distinct texts are few (IN lists of different lengths add some). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement anew, and preparing costs as much as running a
 * small one: in the webhook-ingest bench it was a visible share of each event's time. The same
 * text gets the statement prepared before, unless that one is still being iterated (`busy`).
 * The cache is bounded, oldest text out first; SQLite re-prepares a cached statement itself
 * after a schema change.
 */
export function withStatementCache(handle: Database.Database): { prepare(sql: string): Database.Statement; close(): void } {
  const cache = new Map<string, Database.Statement>();
  return {
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = handle.prepare(text);
      if (!cached) {
        cache.set(text, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
      }
      return statement;
    },
    close() {
      cache.clear();
      handle.close();
    },
  };
}
