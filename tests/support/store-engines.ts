/**
 * Store tests run once per engine: one suite, two runs (SQLite in memory, and PostgreSQL on the
 * run's throwaway server, a fresh database per store opened).
 *
 *   describeEachEngine('the operations store', (openStore) => {
 *     it('…', async () => { const database = await openStore(); … });
 *   });
 */
import { afterEach, describe } from 'vitest';
import { openDatabase, type StoreDatabase } from '../../server/db/database.ts';
import type { Engine } from '../../server/db/dialect.ts';
import { createTestDatabase, type TestDatabase } from './postgres-server.ts';
import { postgresTestUrl } from './test-databases.ts';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

export function describeEachEngine(name: string, suite: (openStore: () => Promise<StoreDatabase>, engine: Engine) => void): void {
  describe.each(ENGINES)(`${name} (%s)`, (engine) => {
    const opened: { store: StoreDatabase; database: TestDatabase | null }[] = [];
    afterEach(async () => {
      for (const { store, database } of opened.splice(0)) {
        await store.close();
        await database?.drop();
      }
    });
    suite(async () => {
      const database = engine === 'postgres' ? await createTestDatabase(postgresTestUrl()) : null;
      const store = await openDatabase(database ? { databaseUrl: database.url } : { dataDir: ':memory:' });
      opened.push({ store, database });
      return store;
    }, engine);
  });
}
