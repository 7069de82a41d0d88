import { beforeEach, expect, it } from 'vitest';
import type { ErrorType, OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { storedOperation } from '../../tests/support/stored-operation.ts';
import { SqlOperationsStore } from '../operations/operations-store.ts';
import { ConnectionHealthStore } from './connection-health-store.ts';
import { healthOf } from './health-rules.ts';

const COASTAL = 'c0ffee00-0000-4000-8000-000000000004';
const PRAIRIE = 'c0ffee00-0000-4000-8000-000000000005';
const NOW = Date.UTC(2026, 10, 27, 12, 0);
const ACTIVE = { can_send: true, status: 'active', inactive_reason: null };

type Outcome = 'success' | 'pending' | ErrorType;

/** A write `minutesAgo` before NOW: succeeded, still pending, or failed with that error type (after `attempts`). */
function write(
  outcome: Outcome,
  minutesAgo: number,
  options: { connection?: string; attempts?: number; erroredFirst?: ErrorType } = {},
): OperationWithLogs {
  const failed = outcome !== 'success' && outcome !== 'pending';
  return storedOperation({
    minutesAgo,
    now: NOW,
    connection_id: options.connection ?? COASTAL,
    status: failed ? 'failed' : outcome,
    attempt_count: options.attempts ?? (outcome === 'pending' ? 0 : 1),
    last_error_type: failed ? outcome : (options.erroredFirst ?? null),
  });
}

describeEachEngine('connection health from the store', (openStore) => {
  let operations: SqlOperationsStore;
  let health: ConnectionHealthStore;
  beforeEach(async () => {
    const database = await openStore();
    operations = new SqlOperationsStore(database);
    health = new ConnectionHealthStore(database);
  });

  async function healthAfter(writes: OperationWithLogs[], connection = COASTAL) {
    await operations.upsertMany(writes, 'reconciler');
    const stats = (await health.stats(NOW)).find((row) => row.connection_id === connection);
    return healthOf(ACTIVE, stats);
  }

  it('reads a connection with no writes as healthy', async () => {
    expect(await health.stats(NOW)).toEqual([]);
    expect(healthOf(ACTIVE)).toMatchObject({ state: 'healthy', reason: null, since: null, failed_in_a_row: 0 });
  });

  it('reads a run of auth failures as failing since the first of them, with the run counted', async () => {
    const first = write('auth', 50);
    const result = await healthAfter([
      write('success', 120),
      first,
      write('auth', 40),
      write('validation', 35),
      write('auth', 30),
      write('auth', 20),
      write('pending', 1),
    ]);
    expect(result).toMatchObject({ state: 'failing', since: first.created_at, failed_in_a_row: 4 });
    expect(result.reason).toMatch(/^Needs re-authorisation by the fleet/);
  });

  it('reads a success after auth failures as healthy', async () => {
    expect(await healthAfter([write('auth', 50), write('auth', 40), write('auth', 30), write('success', 10)])).toMatchObject({
      state: 'healthy',
      failed_in_a_row: 0,
    });
  });

  it('takes auth failures older than a day, or fewer than three in a row, as no failure of the connection', async () => {
    expect(await healthAfter([write('auth', 25 * 60), write('auth', 24 * 60 + 5), write('auth', 30), write('auth', 20)])).toMatchObject({
      state: 'healthy',
      failed_in_a_row: 2,
    });
  });

  it('does not count validation failures as the connection failing', async () => {
    expect(await healthAfter([write('validation', 30), write('validation', 20), write('validation', 10), write('validation', 5)])).toMatchObject({
      state: 'healthy',
    });
  });

  it('reads mixed failures (auth, then a TSP outage) as degraded, not failing', async () => {
    const firstTrouble = write('tsp', 12, { attempts: 5 });
    const result = await healthAfter([
      write('auth', 14),
      write('auth', 13),
      firstTrouble,
      write('tsp', 8, { attempts: 5 }),
      write('pending', 2, { attempts: 2, erroredFirst: 'tsp' }),
    ]);
    expect(result).toMatchObject({ state: 'degraded', since: firstTrouble.created_at, recent: { writes: 5, failed: 4, failed_attempts: 12 } });
  });

  it('reads writes that got through only after network retries as degraded, and healthy again after clean ones', async () => {
    const flaky = [
      write('success', 9, { attempts: 3, erroredFirst: 'network' }),
      write('success', 8, { attempts: 3, erroredFirst: 'network' }),
      write('success', 7, { attempts: 3, erroredFirst: 'network' }),
    ];
    expect(await healthAfter(flaky)).toMatchObject({ state: 'degraded', recent: { writes: 3, failed: 0, failed_attempts: 6 } });
    expect(await healthAfter([write('success', 3), write('success', 2)])).toMatchObject({ state: 'degraded' });
    expect(await healthAfter([write('success', 1)])).toMatchObject({ state: 'healthy', recent: { writes: 6, failed_attempts: 6 } });
  });

  it('lets one network hiccup among many clean writes pass, and forgets a burst older than the window', async () => {
    const hiccup = [write('success', 10, { attempts: 2, erroredFirst: 'network' }), ...[9, 8, 7, 6, 5].map((m) => write('success', m))];
    expect(await healthAfter(hiccup)).toMatchObject({ state: 'healthy' });
    const old = [20, 19, 18].map((m) => write('tsp', m, { connection: PRAIRIE, attempts: 5 }));
    expect(await healthAfter(old, PRAIRIE)).toMatchObject({ state: 'healthy', recent: { writes: 0, failed_attempts: 0 } });
  });

  it('keeps each connection to its own writes', async () => {
    await operations.upsertMany([write('auth', 3), write('auth', 2), write('auth', 1), write('success', 1, { connection: PRAIRIE })], 'reconciler');
    const stats = new Map((await health.stats(NOW)).map((row) => [row.connection_id, healthOf(ACTIVE, row).state]));
    expect(Object.fromEntries(stats)).toEqual({ [COASTAL]: 'failing', [PRAIRIE]: 'healthy' });
  });

  it('reads a connection Catena calls paused as paused, whatever its writes say', () => {
    const paused = healthOf({ can_send: false, status: 'paused', inactive_reason: 'The fleet paused this connection.' });
    expect(paused).toMatchObject({ state: 'paused', reason: 'The fleet paused this connection.', since: null });
  });
});
