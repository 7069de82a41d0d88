import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import { SettingsStore } from './settings-store.ts';

const markSchema = z.object({ at: z.string(), error: z.string().optional() });
const countSchema = z.number().int();

const failureSchema = z.object({ at: z.string(), error: z.string() });

describeEachEngine('the settings store', (openStore, engine) => {
  it('keeps what was set, and reads back nothing that does not fit its schema', async () => {
    const settings = new SettingsStore(await openStore());
    expect(await settings.get('reconciler', markSchema)).toBeNull();
    await settings.set('reconciler', { at: '2026-11-30T12:00:00.000Z' });
    await settings.set('reconciler', { at: '2026-11-30T11:00:00.000Z' });
    expect(await settings.get('reconciler', markSchema)).toEqual({ at: '2026-11-30T11:00:00.000Z' });
    expect(await settings.get('reconciler', countSchema)).toBeNull();
  });

  it("stampNow stamps a key with the database's clock and never takes it back in time", async () => {
    const settings = new SettingsStore(await openStore());
    const before = Date.now();
    await settings.stampNow('last-failure', { error: 'Catena answered 502' });
    const first = await settings.get('last-failure', failureSchema);
    expect(first?.error).toBe('Catena answered 502');
    expect(Math.abs(Date.parse(first?.at ?? '') - before)).toBeLessThan(5_000);
    // A server whose mark is older (its write arrives late) does not undo a newer one.
    await settings.stampNow('last-failure', { error: 'older' }, -60_000);
    expect(await settings.get('last-failure', failureSchema)).toEqual(first);
    await settings.stampNow('last-failure', { error: 'newer' }, 1_000);
    expect((await settings.get('last-failure', failureSchema))?.error).toBe('newer');
  });

  it('of servers stamping one key at once in any order, the newest stays', async () => {
    const stores = (await openSharedStores(engine)).map((database) => new SettingsStore(database));
    // Every offset once, out of order (7 and 20 share no factor); the largest offset is the newest.
    const offsets = Array.from({ length: 20 }, (_, i) => ((i * 7) % 20) * 1_000);
    await Promise.all(offsets.map((plusMs, i) => stores[i % stores.length]!.stampNow('last-failure', { error: `failure +${plusMs}` }, plusMs)));
    expect((await stores[0]!.get('last-failure', failureSchema))?.error).toBe('failure +19000');
  });

  it('of twenty increments on two servers at once, none is lost', async () => {
    const stores = (await openSharedStores(engine)).map((database) => new SettingsStore(database));
    await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.update('refused', countSchema, (count) => (count ?? 0) + 1)));
    expect(await stores[1]!.get('refused', countSchema)).toBe(20);
  });

  it('setOnce keeps the first value: two servers making a key at once end up with the same one', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new SettingsStore(database));
    const schema = z.string();
    const [fromA, fromB] = await Promise.all([a!.setOnce('device-key', 'key-of-a', schema), b!.setOnce('device-key', 'key-of-b', schema)]);
    expect(fromA).toBe(fromB);
    expect(['key-of-a', 'key-of-b']).toContain(fromA);
    expect(await a!.setOnce('device-key', 'key-of-c', schema)).toBe(fromA);
  });
});
