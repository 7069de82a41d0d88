/**
 * A store of realistic operations for the benchmarks: six connections, a dispatcher's vocabulary
 * (a few very common words, a few hundred rare ones), 85 % succeeded, 10 % failed, 5 % pending,
 * created over the last week. Deterministic: the same seed gives the same store.
 */
import { randomUUID } from 'node:crypto';
import type { OperationWithLogs } from '../../contracts/operation-schemas.ts';
import type { StoreDatabase } from '../../server/db/database.ts';
import type { OperationsStore } from '../../server/operations/operations-store.ts';

export const COMMON_WORDS = 'please the at to for your and is on load dock gate'.split(' ');
const rare = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`).concat(
  'delivery code trailer reefer pickup route detour weather fuel stop inspection yard customer late early appointment'.split(' '),
);
const words = [...COMMON_WORDS, ...COMMON_WORDS, ...rare];

export function seededOperations(connections: readonly string[]) {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  };
  return (index: number, now: number): OperationWithLogs => {
    const created = new Date(now - Math.floor(random() * 7 * 24 * 3600 * 1000));
    const roll = random();
    const status = roll < 0.85 ? 'success' : roll < 0.95 ? 'failed' : 'pending';
    const errorType = status === 'failed' ? pick(['auth', 'validation', 'network', 'tsp'] as const) : roll > 0.8 && roll < 0.85 ? 'network' : null;
    return {
      id: randomUUID(),
      created_at: created.toISOString(),
      updated_at: new Date(created.getTime() + 2000).toISOString(),
      partner_id: pick(connections),
      connection_id: pick(connections),
      fleet_ref: null,
      source_name: pick(['samsara', 'motive', 'geotab']),
      resource: index % 10 === 0 ? 'user' : 'message',
      resource_id: status === 'success' ? randomUUID() : null,
      source_id: status === 'success' ? `msg-${index}` : null,
      operation_type: 'create',
      status,
      payload: { message_text: Array.from({ length: 8 }, () => pick(words)).join(' '), recipient_id: randomUUID(), sender_id: randomUUID() },
      attempt_count: errorType ? 3 : 1,
      last_error_type: errorType,
      logs: [],
    };
  };
}

/** Fills `store` with `total` operations in batches and refreshes the planner's statistics; returns the connections used. */
export async function seedOperations(store: OperationsStore, database: StoreDatabase, total: number, now = Date.now()): Promise<string[]> {
  const connections = Array.from({ length: 6 }, () => randomUUID());
  const make = seededOperations(connections);
  const started = performance.now();
  for (let done = 0; done < total; done += 5000) {
    await store.upsertMany(
      Array.from({ length: Math.min(5000, total - done) }, (_, i) => make(done + i, now)),
      'reconciler',
    );
  }
  await database.dialect.optimize(database.db);
  console.log(`seeded ${total} operations in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return connections;
}
