import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import { openDatabase } from './database.ts';
import { TABLES_IN_ORDER } from './schema.ts';

export type CopyReport = { table: string; rows: number }[];

/** Why a copy did not start, in words a person can act on; nothing was written. */
export class StoreCopyRefused extends Error {}

/** Leases belong to running servers (who leads, a pause): none is running during a copy. */
const COPIED_TABLES = TABLES_IN_ORDER.filter((table) => table !== 'leases');

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters, the widest table has 22 columns. */
const BATCH_ROWS = 500;

/**
 * Copies the SQLite store in `fromDataDir` into the PostgreSQL store at `toUrl`, which must be
 * empty: every table from one snapshot of the SQLite store, in one PostgreSQL transaction that
 * commits only once every table holds as many rows on both sides (all of it arrives, or none).
 * Both stores are migrated to the newest schema first, so a store of an older release copies as
 * well; apart from that the SQLite store is only read.
 */
export async function copyStore(options: {
  fromDataDir: string;
  toUrl: string;
  onTable?: (table: string, rows: number) => void;
}): Promise<CopyReport> {
  const file = path.join(options.fromDataDir, 'console.db');
  if (!existsSync(file)) throw new StoreCopyRefused(`There is no SQLite store at ${file}. Say where it is with --from (the server's DATA_DIR).`);
  // Brings both schemas to the newest version (and refuses a missing SQLite store before anything else).
  const source = await openDatabase({ dataDir: options.fromDataDir });
  await source.close();
  const target = await openDatabase({ databaseUrl: options.toUrl });
  await target.close();

  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  const pg = new Client({ connectionString: options.toUrl });
  await pg.connect();
  try {
    const filled: string[] = [];
    for (const table of COPIED_TABLES) {
      const { rows } = await pg.query(`SELECT 1 FROM ${escapeIdentifier(table)} LIMIT 1`);
      if (rows.length > 0) filled.push(table);
    }
    if (filled.length > 0) {
      throw new StoreCopyRefused(
        `The PostgreSQL store is not empty (${filled.join(', ')} already hold rows). Copy only into an empty database, so nothing there is mixed with or lost to the copy.`,
      );
    }

    const report: CopyReport = [];
    // One read transaction: every table as it stood at one moment.
    sqlite.exec('BEGIN');
    await pg.query('BEGIN');
    try {
      for (const table of COPIED_TABLES) {
        // Insertion order is kept (rowid), so the identity of operation_links orders resends as before.
        const order = hasRowid(sqlite, table) ? ' ORDER BY rowid' : '';
        let batch: Record<string, unknown>[] = [];
        let copied = 0;
        for (const row of sqlite.prepare(`SELECT * FROM "${table}"${order}`).iterate() as IterableIterator<Record<string, unknown>>) {
          batch.push(row);
          if (batch.length === BATCH_ROWS) {
            await insertRows(pg, table, batch);
            copied += batch.length;
            batch = [];
          }
        }
        await insertRows(pg, table, batch);
        copied += batch.length;
        report.push({ table, rows: copied });
        options.onTable?.(table, copied);
      }
      // The audit log's ids were copied as they are: new entries continue after the highest.
      await pg.query(`SELECT setval(pg_get_serial_sequence('audit_log', 'id'), GREATEST((SELECT MAX(id) FROM audit_log), 1))`);
      for (const { table, rows } of report) {
        const expected = Number((sqlite.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number | bigint) ?? 0);
        const { rows: counted } = await pg.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${escapeIdentifier(table)}`);
        const actual = Number(counted[0]?.n ?? -1);
        if (rows !== expected || actual !== expected) throw new Error(`${table}: SQLite holds ${expected} rows, PostgreSQL ${actual} in the copy`);
      }
      await pg.query('COMMIT');
    } catch (error) {
      await pg.query('ROLLBACK');
      throw error;
    } finally {
      sqlite.exec('COMMIT');
    }
    return report;
  } finally {
    sqlite.close();
    await pg.end();
  }
}

async function insertRows(pg: Client, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const columns = Object.keys(first);
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((column) => `$${values.push(row[column] ?? null)}`).join(', ')})`);
  await pg.query(`INSERT INTO ${escapeIdentifier(table)} (${columns.map(escapeIdentifier).join(', ')}) VALUES ${tuples.join(', ')}`, values);
}

function hasRowid(sqlite: Database.Database, table: string): boolean {
  try {
    sqlite.prepare(`SELECT rowid FROM "${table}" LIMIT 1`).get();
    return true;
  } catch {
    return false;
  }
}
