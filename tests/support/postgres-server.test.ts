import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, type QueryResultRow } from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { createTestDatabase, ensurePostgresBinaries, findPostgresBinaries, NO_POSTGRES_MESSAGE, startTestPostgres } from './postgres-server.ts';
import { freshPostgresDatabase, postgresTestUrl } from './test-databases.ts';

async function query<R extends QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const databaseExists = async (name: string) => (await query(postgresTestUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;

const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

describe("the run's PostgreSQL server", () => {
  test('answers SELECT version()', async () => {
    const [row] = await query<{ version: string }>(postgresTestUrl(), 'SELECT version()');
    expect(row?.version).toMatch(/^PostgreSQL \d+/);
  });

  test('makes a fresh database to work in, and drops it again', async () => {
    const database = await createTestDatabase(postgresTestUrl());
    const name = databaseName(database.url);
    expect(name).toMatch(/^fleetops_test_/);
    expect(await query(database.url, 'SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', ['public'])).toEqual([{ n: 0 }]);

    await query(database.url, 'CREATE TABLE probe (id int PRIMARY KEY, note text NOT NULL)');
    await query(database.url, "INSERT INTO probe VALUES (1, 'here')");
    expect(await query(database.url, 'SELECT id, note FROM probe')).toEqual([{ id: 1, note: 'here' }]);

    // A pool a test forgot to close does not keep the database alive.
    const lingering = new Client({ connectionString: database.url });
    lingering.on('error', () => {});
    await lingering.connect();
    await database.drop();
    await database.drop();
    await lingering.end().catch(() => {});
    expect(await databaseExists(name)).toBe(false);
  });

  test('two fresh databases are two databases', async () => {
    const [a, b] = await Promise.all([createTestDatabase(postgresTestUrl()), createTestDatabase(postgresTestUrl())]);
    try {
      expect(a.url).not.toBe(b.url);
      await query(a.url, 'CREATE TABLE only_in_a (id int)');
      expect(await query(b.url, "SELECT to_regclass('only_in_a') AS t")).toEqual([{ t: null }]);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});

describe('freshPostgresDatabase()', () => {
  let createdName = '';
  describe('in a describe block', () => {
    const database = freshPostgresDatabase();
    test('gives an empty database of its own', async () => {
      createdName = databaseName(database.url);
      await query(database.url, 'CREATE TABLE probe (id int)');
      expect(await databaseExists(createdName)).toBe(true);
    });
  });
  test('drops it after that block', async () => {
    expect(createdName).not.toBe('');
    expect(await databaseExists(createdName)).toBe(false);
  });
});

describe('startTestPostgres()', () => {
  test('starts a throwaway server and stop() removes it', async () => {
    const started = Date.now();
    const server = await startTestPostgres();
    const startMs = Date.now() - started;
    try {
      expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      // Test files may open many pools at once.
      expect(await query(server.url, 'SHOW max_connections')).toEqual([{ max_connections: '300' }]);
    } finally {
      await server.stop();
    }
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await server.stop();
    expect(startMs).toBeLessThan(3_000);
  });
});

describe('finding the PostgreSQL binaries', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'fleetops-pg-bins-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function binDir(name: string, files: Record<string, number>): string {
    const dir = path.join(scratch, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    for (const [file, mode] of Object.entries(files)) {
      writeFileSync(path.join(dir, file), '#!/bin/sh\n');
      chmodSync(path.join(dir, file), mode);
    }
    return dir;
  }

  test('takes the first folder with both initdb and pg_ctl executable', () => {
    const onlyInitdb = binDir('only-initdb', { initdb: 0o755 });
    const notExecutable = binDir('not-executable', { initdb: 0o644, pg_ctl: 0o644 });
    const both = binDir('both', { initdb: 0o755, pg_ctl: 0o755 });
    expect(findPostgresBinaries([path.join(scratch, 'missing'), onlyInitdb, notExecutable, both])).toEqual({
      binDir: both,
      initdb: path.join(both, 'initdb'),
      pgCtl: path.join(both, 'pg_ctl'),
    });
    expect(findPostgresBinaries([onlyInitdb, notExecutable])).toBeUndefined();
  });

  test('without binaries and not root, stops and says how to get PostgreSQL', async () => {
    let installed = false;
    const attempt = ensurePostgresBinaries({ candidates: () => [], asRoot: false, install: async () => void (installed = true) });
    await expect(attempt).rejects.toThrow(NO_POSTGRES_MESSAGE);
    expect(installed).toBe(false);
    expect(NO_POSTGRES_MESSAGE).toContain('sudo apt-get install postgresql');
    expect(NO_POSTGRES_MESSAGE).toContain('TEST_DATABASE_URL=');
  });

  test("without binaries as root, installs Debian's package and then finds them", async () => {
    const debian = path.join(scratch, 'debian-15-bin');
    const found = await ensurePostgresBinaries({
      candidates: () => [debian],
      asRoot: true,
      install: async () => void binDir('debian-15-bin', { initdb: 0o755, pg_ctl: 0o755 }),
    });
    expect(found.binDir).toBe(debian);
  });

  test('says so when the install leaves no binaries behind', async () => {
    await expect(ensurePostgresBinaries({ candidates: () => [], asRoot: true, install: async () => {} })).rejects.toThrow(/still missing/);
  });
});
