import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CatenaError } from '../catena/catena-error.ts';
import type { CatenaOperation } from '../catena/catena-schemas.ts';
import { WatchedOperations } from './watched-operations.ts';

const CONNECTION = randomUUID();

function catenaOperation(id: string, status: 'pending' | 'success'): CatenaOperation {
  const at = new Date().toISOString();
  return {
    id,
    created_at: at,
    updated_at: at,
    partner_id: randomUUID(),
    connection_id: CONNECTION,
    fleet_ref: null,
    source_name: 'geotab',
    resource: 'message',
    resource_id: null,
    source_id: null,
    operation_type: 'create',
    status,
    payload: {},
    logs: [],
  } as unknown as CatenaOperation;
}

/** A Catena that answers every read with the state the test set, and a throttle that lets every read through. */
function harness(options: { maxReadsPerTick?: number; readTimeoutMs?: number } = {}) {
  const states = new Map<string, 'pending' | 'success' | 'gone' | 'hang' | 'rate_limited'>();
  const reads: string[] = [];
  const stored: string[] = [];
  const watched = new WatchedOperations({
    catena: {
      async getResourceOperation(_connectionId, id) {
        reads.push(id);
        const state = states.get(id) ?? 'pending';
        if (state === 'gone') throw new CatenaError('http', 'Catena answered 404.', 404);
        if (state === 'hang') return new Promise<CatenaOperation>(() => {});
        if (state === 'rate_limited') throw new CatenaError('http', 'Catena is rate limiting the console; try again in 30 s.', 429, null, 30);
        return catenaOperation(id, state);
      },
    },
    store: { upsert: async (op) => (stored.push(op.id), true) },
    leases: { claimEach: async (names) => new Set(names) },
    serverId: 'server-a',
    log: pino({ level: 'silent' }),
    sourceNameOf: () => null,
    refreshEveryMs: 0,
    ...options,
  });
  const watch = (ids: string[], status = 'pending') => watched.watch(ids.map((id) => ({ id, connection_id: CONNECTION, status })));
  return { watched, watch, states, reads, stored };
}

describe('watched operations', () => {
  it('reads what is watched and pending, stores it, and forgets it once it is final', async () => {
    const { watched, watch, states, reads, stored } = harness();
    const [pending, done] = [randomUUID(), randomUUID()];
    watch([pending]);
    watch([done], 'success');
    await watched.tick();
    expect(reads).toEqual([pending]);
    expect(stored).toEqual([pending]);

    states.set(pending, 'success');
    await watched.tick();
    await watched.tick();
    expect(reads).toEqual([pending, pending]);
    expect(watched.watched).toBe(0);
  });

  it('forgets an operation Catena does not know', async () => {
    const { watched, watch, states, reads } = harness();
    const id = randomUUID();
    states.set(id, 'gone');
    watch([id]);
    await watched.tick();
    await watched.tick();
    expect(reads).toEqual([id]);
    expect(watched.watched).toBe(0);
  });

  it('with more due than one round reads, goes round them all, the longest unread first', async () => {
    const { watched, watch, reads } = harness({ maxReadsPerTick: 2 });
    const ids = Array.from({ length: 5 }, () => randomUUID());
    watch(ids);
    for (let round = 0; round < 3; round += 1) await watched.tick();
    expect(reads).toHaveLength(6);
    expect(new Set(reads)).toEqual(new Set(ids));
  });

  it('a read Catena never answers is given up after its deadline, and holds up no other read meanwhile', async () => {
    const { watched, watch, states, reads, stored } = harness({ readTimeoutMs: 200 });
    const hung = randomUUID();
    const others = Array.from({ length: 8 }, () => randomUUID());
    states.set(hung, 'hang');
    watch([hung, ...others]);
    const started = Date.now();
    await watched.tick();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(new Set(reads)).toEqual(new Set([hung, ...others]));
    expect(new Set(stored)).toEqual(new Set(others));
  });

  it('once Catena says it is rate limiting, stops reading until it said to try again, leaving its limit to sending', async () => {
    const { watched, watch, states, reads } = harness();
    const ids = Array.from({ length: 10 }, () => randomUUID());
    for (const id of ids) states.set(id, 'rate_limited');
    watch(ids);
    await watched.tick();
    const afterFirst = reads.length;
    expect(afterFirst).toBeLessThanOrEqual(4);
    await watched.tick();
    await watched.tick();
    expect(reads).toHaveLength(afterFirst);
  });
});
