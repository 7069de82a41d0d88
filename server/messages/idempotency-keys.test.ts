import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import type { StoreDatabase } from '../db/database.ts';
import { createOnce } from './idempotency-keys.ts';
import { IdempotencyStore } from './idempotency-store.ts';

const SCOPE = 'resend-batches';

/** What a key makes, for the test: a settings row, written in one transaction that also marks the key done. */
async function made(store: StoreDatabase): Promise<string[]> {
  return (await sql<{ key: string }>`SELECT key FROM settings WHERE key LIKE 'made:%' ORDER BY key`.execute(store.db)).rows.map((row) => row.key);
}

describeEachEngine('createOnce', (openStore) => {
  it('a server that stops right after committing what a key made leaves a key that answers with it, so nothing is made twice', async () => {
    const store = await openStore();
    const keys = new IdempotencyStore(store);
    const load = async (id: string) => ((await made(store)).includes(`made:${id}`) ? id : null);
    let creations = 0;

    await expect(
      createOnce(keys, { key: 'incident-resend:1', scope: SCOPE, intent: { ids: [1, 2] } }, load, async (markDone) => {
        creations += 1;
        await store.db.transaction().execute(async (trx) => {
          await sql`INSERT INTO settings (key, value) VALUES ('made:first', '{}')`.execute(trx);
          await markDone(trx, 'first');
        });
        // The server stops between its commit and anything after it.
        throw new Error('server stopped');
      }),
    ).rejects.toThrow('server stopped');

    const again = await createOnce(keys, { key: 'incident-resend:1', scope: SCOPE, intent: { ids: [1, 2] } }, load, async () => {
      creations += 1;
      return 'second';
    });
    expect(again).toEqual({ value: 'first', replayed: true, statusCode: 202 });
    expect(creations).toBe(1);
    expect(await made(store)).toEqual(['made:first']);
  });

  it('what rolled back made nothing: the key is free for the next try', async () => {
    const store = await openStore();
    const keys = new IdempotencyStore(store);
    const load = async (id: string) => ((await made(store)).includes(`made:${id}`) ? id : null);

    await expect(
      createOnce(keys, { key: 'k', scope: SCOPE, intent: {} }, load, async (markDone) =>
        store.db.transaction().execute(async (trx) => {
          await sql`INSERT INTO settings (key, value) VALUES ('made:lost', '{}')`.execute(trx);
          await markDone(trx, 'lost');
          throw new Error('the store refused it');
        }),
      ),
    ).rejects.toThrow('the store refused it');

    const next = await createOnce(keys, { key: 'k', scope: SCOPE, intent: {} }, load, async (markDone) => {
      await store.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO settings (key, value) VALUES ('made:kept', '{}')`.execute(trx);
        await markDone(trx, 'kept');
      });
      return 'kept';
    });
    expect(next).toEqual({ value: 'kept', replayed: false, statusCode: 202 });
    expect(await made(store)).toEqual(['made:kept']);
  });
});
