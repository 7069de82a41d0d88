/**
 * PostgreSQL for tests of the `node` project. The run's server comes from the global setup
 * (tests/support/postgres-global-setup.ts); a test file or describe block gets its own empty database:
 *
 *   const database = freshPostgresDatabase(); // at the top of the file or of a describe block
 *   test('…', async () => { const store = await openStore(database.url); … });
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from './postgres-server.ts';

/** The run's server, as a role that may create databases. Prefer freshPostgresDatabase() over using it directly. */
export function postgresTestUrl(): string {
  return inject('postgresUrl');
}

/**
 * Registers hooks that create a fresh empty database before the enclosing file or describe block
 * and drop it after (ending connections still open). Call it while tests are collected (top level
 * or a describe callback), not inside a hook or a test: hooks registered there never run.
 * `url` can be read in hooks registered after this call and in tests.
 */
export function freshPostgresDatabase(): { readonly url: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(postgresTestUrl());
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url() {
      if (!database)
        throw new Error('freshPostgresDatabase(): the database exists only once its beforeAll has run (read url in a test or a later hook).');
      return database.url;
    },
  };
}
