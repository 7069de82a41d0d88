/**
 * Several servers on one store, for tests of what they must agree on (one claim of a key, one
 * holder of a lease). PostgreSQL: each "server" opens its own StoreDatabase (its own pool) on one
 * fresh database. SQLite serves one server only, so every "server" is that one store.
 *
 *   const [a, b] = await openSharedStores(engine);
 *
 * Call it inside a test: the stores are closed and the database dropped when the test finishes.
 */
import { onTestFinished } from 'vitest';
import { openDatabase, type StoreDatabase } from '../../server/db/database.ts';
import type { Engine } from '../../server/db/dialect.ts';
import { createTestDatabase } from './postgres-server.ts';
import { postgresTestUrl } from './test-databases.ts';

export async function openSharedStores(engine: Engine, count = 2): Promise<StoreDatabase[]> {
  if (engine === 'sqlite') {
    const store = await openDatabase({ dataDir: ':memory:' });
    onTestFinished(() => store.close());
    return Array.from({ length: count }, () => store);
  }
  const database = await createTestDatabase(postgresTestUrl());
  const stores: StoreDatabase[] = [];
  onTestFinished(async () => {
    for (const store of stores) await store.close();
    await database.drop();
  });
  // One after the other: the first migrates the fresh database, the others find it migrated.
  for (let index = 0; index < count; index += 1) stores.push(await openDatabase({ databaseUrl: database.url }));
  return stores;
}
