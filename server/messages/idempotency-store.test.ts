import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import type { StoreDatabase } from '../db/database.ts';
import { SendStore } from '../sending/send-store.ts';
import { IdempotencyStore } from './idempotency-store.ts';

const SCOPE = 'messages';
const CONNECTION = 'c0ffee00-0000-4000-8000-000000000001';

/** Makes the key look as if its request started `ms` ago (its server died before anything left). */
async function startedAgo(store: StoreDatabase, key: string, ms: number): Promise<void> {
  await sql`UPDATE idempotency_keys SET created_at = ${new Date(Date.now() - ms).toISOString()} WHERE scope = ${SCOPE} AND key = ${key}`.execute(
    store.db,
  );
}

/** Records the send of the request holding `key`, as the message sender does once its checks pass. */
async function sendRecordedFor(store: StoreDatabase, key: string): Promise<string> {
  const send = await new SendStore(store).recordSingle(
    { connection_id: CONNECTION, sender_id: randomUUID(), recipient_id: randomUUID(), message_text: 'Gate code changed to 4471' },
    { scope: SCOPE, key },
    5_000,
  );
  return send.id;
}

describeEachEngine('the idempotency store', (openStore, engine) => {
  it('claims a new key once; the same request again finds it being handled, another request a mismatch', async () => {
    const keys = new IdempotencyStore(await openStore());
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'claimed' });
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'in_flight', sendId: null });
    expect(await keys.claim(SCOPE, 'k-1', 'hash-b')).toEqual({ kind: 'mismatch' });
    // Keys of another scope are other keys.
    expect(await keys.claim('broadcasts', 'k-1', 'hash-b')).toEqual({ kind: 'claimed' });
  });

  it('answers a completed key from memory, to the same request only', async () => {
    const keys = new IdempotencyStore(await openStore());
    await keys.claim(SCOPE, 'k-1', 'hash-a');
    const operationId = randomUUID();
    await keys.complete(SCOPE, 'k-1', 201, { id: operationId, status: 'pending' }, operationId);
    const replay = { kind: 'replay', statusCode: 201, response: { id: operationId, status: 'pending' }, operationId };
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual(replay);
    expect(await keys.peek(SCOPE, 'k-1', 'hash-a')).toEqual(replay);
    expect(await keys.claim(SCOPE, 'k-1', 'hash-b')).toEqual({ kind: 'mismatch' });
    // A finished key is no longer released: its answer stays.
    await keys.release(SCOPE, 'k-1');
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual(replay);
  });

  it('peeks without claiming: nothing to say for a free key, one being checked, or another request', async () => {
    const store = await openStore();
    const keys = new IdempotencyStore(store);
    expect(await keys.peek(SCOPE, 'k-1', 'hash-a')).toBeNull();
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'claimed' });
    expect(await keys.peek(SCOPE, 'k-1', 'hash-a')).toBeNull();
    const sendId = await sendRecordedFor(store, 'k-1');
    expect(await keys.peek(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'in_flight', sendId });
    expect(await keys.peek(SCOPE, 'k-1', 'hash-b')).toBeNull();
    // Peeking claimed nothing: a free key is still free.
    expect(await keys.claim(SCOPE, 'k-2', 'hash-a')).toEqual({ kind: 'claimed' });
  });

  it('a key whose send is on its way says which send holds it', async () => {
    const store = await openStore();
    const keys = new IdempotencyStore(store);
    await keys.claim(SCOPE, 'k-1', 'hash-a');
    const sendId = await sendRecordedFor(store, 'k-1');
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'in_flight', sendId });
    // Even long after: a send in doubt holds its key until it is settled.
    await startedAgo(store, 'k-1', 10 * 60_000);
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'in_flight', sendId });
  });

  it('released (nothing was sent), the same key may try again', async () => {
    const keys = new IdempotencyStore(await openStore());
    await keys.claim(SCOPE, 'k-1', 'hash-a');
    await keys.release(SCOPE, 'k-1');
    expect(await keys.peek(SCOPE, 'k-1', 'hash-a')).toBeNull();
    expect(await keys.claim(SCOPE, 'k-1', 'hash-b')).toEqual({ kind: 'claimed' });
  });

  it('is taken over from a send settled as never sent, once, and only from that send', async () => {
    const store = await openStore();
    const keys = new IdempotencyStore(store);
    await keys.claim(SCOPE, 'k-1', 'hash-a');
    const sendId = await sendRecordedFor(store, 'k-1');
    expect(await keys.takeOver(SCOPE, 'k-1', 'hash-a', randomUUID())).toBe(false);
    expect(await keys.takeOver(SCOPE, 'k-1', 'hash-a', sendId)).toBe(true);
    // The key is this request's now, being checked; a second retry settled on the same send loses.
    expect(await keys.takeOver(SCOPE, 'k-1', 'hash-a', sendId)).toBe(false);
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'in_flight', sendId: null });
    expect(await keys.peek(SCOPE, 'k-1', 'hash-a')).toBeNull();
  });

  it('a key claimed long ago with no send recorded was abandoned: the next request takes it over', async () => {
    const store = await openStore();
    const keys = new IdempotencyStore(store);
    await keys.claim(SCOPE, 'k-1', 'hash-a');
    await startedAgo(store, 'k-1', 30_000);
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'in_flight', sendId: null });
    await startedAgo(store, 'k-1', 2 * 60_000);
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'claimed' });
    // Taken over, it is fresh again.
    expect(await keys.claim(SCOPE, 'k-1', 'hash-a')).toEqual({ kind: 'in_flight', sendId: null });
  });

  it('of two servers claiming one key at once, exactly one gets it', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new IdempotencyStore(database));
    for (let round = 0; round < 10; round += 1) {
      const key = `k-${round}`;
      const claims = await Promise.all([a!.claim(SCOPE, key, 'hash-a'), b!.claim(SCOPE, key, 'hash-a')]);
      expect(claims.filter((claim) => claim.kind === 'claimed')).toHaveLength(1);
      expect(claims.filter((claim) => claim.kind === 'in_flight')).toEqual([{ kind: 'in_flight', sendId: null }]);
    }
  });

  it('of two servers taking over one abandoned key at once, exactly one gets it', async () => {
    const stores = await openSharedStores(engine);
    const [a, b] = stores.map((database) => new IdempotencyStore(database));
    for (let round = 0; round < 5; round += 1) {
      const key = `k-${round}`;
      await a!.claim(SCOPE, key, 'hash-a');
      await startedAgo(stores[0]!, key, 2 * 60_000);
      const claims = await Promise.all([a!.claim(SCOPE, key, 'hash-a'), b!.claim(SCOPE, key, 'hash-a')]);
      expect(claims.filter((claim) => claim.kind === 'claimed')).toHaveLength(1);
    }
  });

  it('of two retries taking a settled send’s key over at once, exactly one gets it', async () => {
    const stores = await openSharedStores(engine);
    const [a, b] = stores.map((database) => new IdempotencyStore(database));
    await a!.claim(SCOPE, 'k-1', 'hash-a');
    const sendId = await sendRecordedFor(stores[0]!, 'k-1');
    const taken = await Promise.all([a!.takeOver(SCOPE, 'k-1', 'hash-a', sendId), b!.takeOver(SCOPE, 'k-1', 'hash-a', sendId)]);
    expect(taken.filter(Boolean)).toHaveLength(1);
  });
});
