/**
 * The two store engines, for the benchmarks that compare them on the same data in one run.
 *
 * The store is seeded once, on SQLite, through the store itself; then copied row for row into a
 * fresh PostgreSQL database (server/db/store-copy.ts, what `npm run store:copy` does), so both
 * engines hold the very same rows. Each engine then gets a console server of its own, one after
 * the other, never both at once.
 *
 * PostgreSQL is BENCH_DATABASE_URL or TEST_DATABASE_URL (a role that may create databases), else a
 * throwaway server from the machine's binaries (tests/support/postgres-server.ts) with durability
 * as SQLite's here: WAL and data files are fsynced, commits are not waited for (as SQLite's
 * `synchronous = NORMAL` in WAL mode: a crash may lose the last commits, never the store).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Client } from 'pg';
import type { Engine } from '../../server/db/dialect.ts';
import { copyStore } from '../../server/db/store-copy.ts';
import { startConsole, type RunningConsole } from '../../tests/support/console-server.ts';
import { createTestDatabase, startTestPostgres, type TestDatabase, type TestPostgres } from '../../tests/support/postgres-server.ts';

export const ENGINE_LABELS: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

export type EngineStore = {
  engine: Engine;
  /** A console server on this engine's copy of the seeded store; close it before starting the next. */
  start(options?: Omit<Parameters<typeof startConsole>[0], 'catenaUrl' | 'dataDir' | 'databaseUrl'>): Promise<RunningConsole>;
};

export type SeededEngines = {
  /** SQLite first, then PostgreSQL. */
  engines: EngineStore[];
  /** Drops the PostgreSQL database (and server, if this run started it) and removes the SQLite store. */
  dispose(): Promise<void>;
};

/**
 * Seeds a SQLite store with `seed` (given a console server on it), copies it into PostgreSQL, and
 * brings both to the state a server reaches after a while (what housekeeping and autovacuum do):
 * SQLite's WAL folded back, PostgreSQL's tables vacuumed, both with fresh planner statistics.
 */
export async function seedBothEngines(seed: (server: RunningConsole) => Promise<void>): Promise<SeededEngines> {
  const catenaUrl = 'http://127.0.0.1:9';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-bench-'));
  let postgres: TestPostgres | undefined;
  let database: TestDatabase | undefined;
  const dispose = async () => {
    await database?.drop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const seeding = await startConsole({ catenaUrl, dataDir });
    try {
      // Seeding only: a large page cache makes the 100,000 upserts several times faster. It is the
      // connection's own setting, so the servers that are measured start with the default again.
      await sql`PRAGMA cache_size = -262144`.execute(seeding.database.db);
      await seed(seeding);
      await seeding.database.dialect.optimize(seeding.database.db);
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(seeding.database.db);
    } finally {
      await stopConsole(seeding);
    }

    const fromEnv = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (!fromEnv) postgres = await startTestPostgres({ settings: { fsync: 'on', full_page_writes: 'on', synchronous_commit: 'off' } });
    database = await createTestDatabase(fromEnv ?? postgres?.url ?? '');
    const copyStarted = performance.now();
    await copyStore({ fromDataDir: dataDir, toUrl: database.url });
    const pgUrl = database.url;
    const client = new Client({ connectionString: pgUrl });
    await client.connect();
    try {
      // VACUUM marks a page all-visible (so counts read the covering indexes alone) only once the
      // commit that wrote it is flushed; the copy's commit may not be yet when commits are not
      // waited for. A commit that is waited for flushes everything before it.
      await client.query('SET synchronous_commit = on');
      await client.query('ANALYZE');
      await client.query('VACUUM ANALYZE');
      const { rows } = await client.query<{ visible: number }>(
        `SELECT relallvisible::float / GREATEST(relpages, 1) AS visible FROM pg_class WHERE relname = 'operations'`,
      );
      const visible = rows[0]?.visible ?? 0;
      if (visible < 0.99)
        console.warn(
          `warning: VACUUM left ${(100 * (1 - visible)).toFixed(0)} % of the operations table not all-visible (an open transaction?): counts will read the table`,
        );
    } finally {
      await client.end();
    }
    console.log(`copied the store into PostgreSQL in ${((performance.now() - copyStarted) / 1000).toFixed(1)} s`);

    return {
      engines: [
        { engine: 'sqlite', start: (options = {}) => startConsole({ ...options, catenaUrl, dataDir }) },
        { engine: 'postgres', start: (options = {}) => startConsole({ ...options, catenaUrl, databaseUrl: pgUrl }) },
      ],
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * Stops a console server. Stopping waits for its last health mark to be shared, on an unref'd
 * timer (up to 1 s, UpstreamStatus.flush): with nothing else left to run, Node would end the
 * process meanwhile with exit code 13, so the process is kept alive until the server has stopped.
 */
export async function stopConsole(server: RunningConsole): Promise<void> {
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await server.close();
  } finally {
    clearInterval(keepAlive);
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
