import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import { SettingsStore } from './settings-store.ts';

const markSchema = z.object({ at: z.string(), error: z.string().optional() });
const countSchema = z.number().int();

describeEachEngine('the settings store', (openStore, engine) => {
  it('keeps what was set, and reads back nothing that does not fit its schema', async () => {
    const settings = new SettingsStore(await openStore());
    expect(await settings.get('reconciler', markSchema)).toBeNull();
    await settings.set('reconciler', { at: '2026-11-30T12:00:00.000Z' });
    await settings.set('reconciler', { at: '2026-11-30T11:00:00.000Z' });
    expect(await settings.get('reconciler', markSchema)).toEqual({ at: '2026-11-30T11:00:00.000Z' });
    expect(await settings.get('reconciler', countSchema)).toBeNull();
  });

  it('setIfNewer never takes a key back in time, and moves it forward', async () => {
    const settings = new SettingsStore(await openStore());
    await settings.setIfNewer('last-success', { at: '2026-11-30T12:00:00.500Z' });
    expect(await settings.get('last-success', markSchema)).toEqual({ at: '2026-11-30T12:00:00.500Z' });
    await settings.setIfNewer('last-success', { at: '2026-11-30T12:00:00.499Z' });
    await settings.setIfNewer('last-success', { at: '2026-11-29T23:59:59.999Z' });
    expect(await settings.get('last-success', markSchema)).toEqual({ at: '2026-11-30T12:00:00.500Z' });
    await settings.setIfNewer('last-success', { at: '2026-11-30T12:00:01.000Z' });
    expect(await settings.get('last-success', markSchema)).toEqual({ at: '2026-11-30T12:00:01.000Z' });
  });

  it('of servers writing one mark at once in any order, the newest stays', async () => {
    const stores = (await openSharedStores(engine)).map((database) => new SettingsStore(database));
    const marks = Array.from({ length: 20 }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 30, 12, 0, i)).toISOString(), error: `failure ${i}` }));
    // Every mark once, out of order (7 and 20 share no factor).
    const shuffled = marks.map((_, i) => marks[(i * 7) % marks.length]!);
    await Promise.all(shuffled.map((mark, i) => stores[i % stores.length]!.setIfNewer('last-failure', mark)));
    expect(await stores[0]!.get('last-failure', markSchema)).toEqual(marks.at(-1));
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
