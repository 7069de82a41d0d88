import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it, vi } from 'vitest';
import type { OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import type { StoreDatabase } from '../db/database.ts';
import { SqlOperationsStore } from '../operations/operations-store.ts';

/** A single send's deadline, as the message sender gives it. */
const ANSWER_WITHIN_MS = 5_000;
import { ChainBusyError, SendStore, type NewSend, type Send } from './send-store.ts';

const CONNECTION = 'c0ffee00-0000-4000-8000-000000000001';
const SENDER = 'c0ffee00-0000-4000-8000-0000000000a1';

function message(overrides: Partial<NewSend> = {}): NewSend {
  return { connection_id: CONNECTION, sender_id: SENDER, recipient_id: randomUUID(), message_text: 'Gate code changed to 4471', ...overrides };
}

/** A message operation as Catena reports it, already in the store. */
async function storedOperation(store: StoreDatabase, status: OperationWithLogs['status']): Promise<string> {
  const at = new Date().toISOString();
  const op: OperationWithLogs = {
    id: randomUUID(),
    created_at: at,
    updated_at: at,
    partner_id: randomUUID(),
    connection_id: CONNECTION,
    fleet_ref: null,
    source_name: 'samsara',
    resource: 'message',
    resource_id: null,
    source_id: null,
    operation_type: 'create',
    status,
    payload: { message_text: 'Gate code changed to 4471', sender_id: SENDER, recipient_id: randomUUID() },
    attempt_count: 1,
    last_error_type: status === 'failed' ? 'tsp' : null,
    logs: [],
  };
  await new SqlOperationsStore(store).upsert(op, 'webhook');
  return op.id;
}

/** What each of several calls ended in: its value, or the reason it was refused. */
async function settled<T>(calls: Promise<T>[]): Promise<{ done: T[]; refused: unknown[] }> {
  const results = await Promise.allSettled(calls);
  return {
    done: results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    refused: results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])),
  };
}

describeEachEngine('the send store', (openStore, engine) => {
  it('records a resend of a failed operation once, and refuses one while it is on its way, once resent, or of a success', async () => {
    const store = await openStore();
    const sends = new SendStore(store);
    const failed = await storedOperation(store, 'failed');
    const resend = await sends.recordSingle(message({ resend_of: failed }), null, ANSWER_WITHIN_MS);
    expect(resend).toMatchObject({ state: 'submitting', resend_of: failed, chain_id: failed });

    await expect(sends.recordSingle(message({ resend_of: failed }), null, ANSWER_WITHIN_MS)).rejects.toMatchObject({ reason: 'resend_in_progress' });
    const resentAs = randomUUID();
    await sends.markSubmitted(resend, resentAs);
    await expect(sends.recordSingle(message({ resend_of: failed }), null, ANSWER_WITHIN_MS)).rejects.toMatchObject({
      reason: 'already_resent',
      operationId: resentAs,
    });
    const succeeded = await storedOperation(store, 'success');
    await expect(sends.recordSingle(message({ resend_of: succeeded }), null, ANSWER_WITHIN_MS)).rejects.toMatchObject({ reason: 'not_failed' });
  });

  it('of two servers resending one failed operation at once, one records the resend and the other is told a resend is on its way', async () => {
    const stores = await openSharedStores(engine);
    const [a, b] = stores.map((database) => new SendStore(database));
    for (let round = 0; round < 5; round += 1) {
      const failed = await storedOperation(stores[0]!, 'failed');
      const { done, refused } = await settled([
        a!.recordSingle(message({ resend_of: failed }), null, ANSWER_WITHIN_MS),
        b!.recordSingle(message({ resend_of: failed }), null, ANSWER_WITHIN_MS),
      ]);
      expect(done).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(ChainBusyError);
      expect(refused[0]).toMatchObject({ reason: 'resend_in_progress' });
      expect(await a!.openSendOf(failed)).toMatchObject({ id: done[0]!.id });
    }
  });

  it('of a resend batch and a single resend of one chain at once, only one claims the chain', async () => {
    const stores = await openSharedStores(engine);
    const [a, b] = stores.map((database) => new SendStore(database));
    const failed = await storedOperation(stores[0]!, 'failed');
    const [batch, single] = await Promise.allSettled([
      a!.recordBatch(randomUUID(), [message({ resend_of: failed })]),
      b!.recordSingle(message({ resend_of: failed }), null, ANSWER_WITHIN_MS),
    ]);
    const outcome = {
      batch: batch.status === 'fulfilled' ? batch.value : batch.reason,
      single: single.status === 'fulfilled' ? 'recorded' : (single.reason as ChainBusyError).reason,
    };
    expect([
      { batch: { recorded: 1, refused: [] }, single: 'resend_in_progress' },
      { batch: { recorded: 0, refused: [{ index: 0, reason: 'resend_in_progress' }] }, single: 'recorded' },
    ]).toContainEqual(outcome);
  });

  it('of two servers dispatching one queue at once, each queued item goes out exactly once', async () => {
    const stores = await openSharedStores(engine);
    const [a, b] = stores.map((database) => new SendStore(database));
    const batchId = randomUUID();
    expect(
      await a!.recordBatch(
        batchId,
        Array.from({ length: 20 }, () => message()),
      ),
    ).toEqual({ recorded: 20, refused: [] });

    const drain = async (sends: SendStore): Promise<string[]> => {
      const claimed: string[] = [];
      for (let next = await sends.claimNext(); next; next = await sends.claimNext()) claimed.push(next.id);
      return claimed;
    };
    const [byA, byB] = await Promise.all([drain(a!), drain(b!)]);
    const claimed = [...byA, ...byB];
    const items = await a!.itemsOf(batchId);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(items.map((item) => item.id).sort());
    expect(items.every((item) => item.state === 'submitting' && item.submitting_since !== null)).toBe(true);
  });

  it('hands out queued items oldest batch first, in their order', async () => {
    const sends = new SendStore(await openStore());
    const first = randomUUID();
    await sends.recordBatch(first, [message({ recipient_name: 'Ana' }), message({ recipient_name: 'Ben' })]);
    await sleep(5);
    await sends.recordBatch(randomUUID(), [message({ recipient_name: 'Cleo' })]);
    const order: (string | null)[] = [];
    for (let next = await sends.claimNext(); next; next = await sends.claimNext()) order.push(next.recipient_name);
    expect(order).toEqual(['Ana', 'Ben', 'Cleo']);
  });

  it('counts a send as in doubt by the database’s clock, whatever the clock of the server that sent it says', async () => {
    const sends = new SendStore(await openStore());
    let send: Send;
    // A server whose clock is an hour behind records a send: it is not an hour old for that.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() - 3_600_000);
      send = await sends.recordSingle(message(), null, ANSWER_WITHIN_MS);
    } finally {
      vi.useRealTimers();
    }
    expect(await sends.inDoubt(60_000)).toEqual([]);
    // Nor does a server whose clock runs an hour ahead take it for an hour old.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3_600_000);
      expect(await sends.inDoubt(60_000)).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
    await sleep(100);
    expect((await sends.inDoubt(50)).map((doubtful) => doubtful.id)).toEqual([send.id]);
    // Settled, it is in doubt no more.
    await sends.markNotSent(send);
    expect(await sends.inDoubt(50)).toEqual([]);
  });
});
