import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import { LeaseStore } from './lease-store.ts';

/** Long enough that no test outlives it by accident. */
const HELD = 60_000;
/** Short enough to wait out in a test. */
const BRIEF = 50;

describeEachEngine('the lease store', (openStore, engine) => {
  async function twoServers(): Promise<[LeaseStore, LeaseStore]> {
    const [a, b] = await openSharedStores(engine);
    return [new LeaseStore(a!), new LeaseStore(b!)];
  }

  it('of two servers asking for one lease at once, exactly one gets it', async () => {
    const [a, b] = await twoServers();
    for (let round = 0; round < 10; round += 1) {
      const name = `leader-${round}`;
      const granted = await Promise.all([a.acquire(name, 'server-a', HELD), b.acquire(name, 'server-b', HELD)]);
      expect(granted.filter(Boolean)).toHaveLength(1);
      expect(await a.holderOf(name)).toBe(granted[0] ? 'server-a' : 'server-b');
    }
  });

  it('is refused to another holder while it runs, and renewed by its holder', async () => {
    const leases = new LeaseStore(await openStore());
    expect(await leases.acquire('leader', 'server-a', HELD)).toBe(true);
    expect(await leases.acquire('leader', 'server-b', HELD)).toBe(false);
    expect(await leases.acquire('leader', 'server-a', HELD)).toBe(true);
    expect(await leases.holderOf('leader')).toBe('server-a');
  });

  it('renewing pushes the expiry on, so a holder that renews in time keeps it', async () => {
    const leases = new LeaseStore(await openStore());
    expect(await leases.acquire('leader', 'server-a', 600)).toBe(true);
    await sleep(400);
    expect(await leases.acquire('leader', 'server-a', 600)).toBe(true);
    await sleep(400);
    // 800 ms after the first grant: past it, but within the renewal.
    expect(await leases.acquire('leader', 'server-b', HELD)).toBe(false);
    expect(await leases.holderOf('leader')).toBe('server-a');
  });

  it('is taken over by another server once its holder stopped renewing it', async () => {
    const [a, b] = await twoServers();
    expect(await a.acquire('leader', 'server-a', BRIEF)).toBe(true);
    await sleep(BRIEF * 3);
    expect(await a.holderOf('leader')).toBeNull();
    expect(await b.acquire('leader', 'server-b', HELD)).toBe(true);
    expect(await a.holderOf('leader')).toBe('server-b');
    // The old holder, waking up, does not get it back.
    expect(await a.acquire('leader', 'server-a', HELD)).toBe(false);
  });

  it('released, it is another server’s at once; released by someone else, it stays', async () => {
    const [a, b] = await twoServers();
    expect(await a.acquire('leader', 'server-a', HELD)).toBe(true);
    await b.release('leader', 'server-b');
    expect(await b.acquire('leader', 'server-b', HELD)).toBe(false);
    await a.release('leader', 'server-a');
    expect(await a.holderOf('leader')).toBeNull();
    expect(await b.acquire('leader', 'server-b', HELD)).toBe(true);
  });

  it('extend only ever makes a pause longer, whoever asks', async () => {
    const [a, b] = await twoServers();
    await a.extend('catena-pause', 'server-a', HELD);
    // A shorter pause asked for by another server does not shorten it.
    await b.extend('catena-pause', 'server-b', BRIEF);
    await sleep(BRIEF * 3);
    expect(await a.holderOf('catena-pause')).toBe('server-a');
    // A longer one does lengthen it (and names who asked).
    await b.extend('catena-pause', 'server-b', HELD * 2);
    expect(await a.holderOf('catena-pause')).toBe('server-b');
  });

  it('extend starts a pause where there was none, and one that ended starts afresh', async () => {
    const leases = new LeaseStore(await openStore());
    await leases.extend('catena-pause', 'server-a', BRIEF);
    expect(await leases.holderOf('catena-pause')).toBe('server-a');
    await sleep(BRIEF * 3);
    expect(await leases.holderOf('catena-pause')).toBeNull();
    await leases.extend('catena-pause', 'server-b', HELD);
    expect(await leases.holderOf('catena-pause')).toBe('server-b');
  });

  it('claims each name once per lease, across servers and from the same server alike, and again once it ran out', async () => {
    const [a, b] = await twoServers();
    const names = ['refresh:1', 'refresh:2', 'refresh:3'];
    const [fromA, fromB] = await Promise.all([a.claimEach(names, 'server-a', 300), b.claimEach(names, 'server-b', 300)]);
    expect([...fromA, ...fromB].sort()).toEqual(names);
    // Unlike acquire, the holder itself does not renew by asking again.
    expect(await a.claimEach(names, 'server-a', 300)).toEqual(new Set());
    await sleep(400);
    expect(await b.claimEach(['refresh:1', 'refresh:4'], 'server-b', HELD)).toEqual(new Set(['refresh:1', 'refresh:4']));
    expect(await a.claimEach([], 'server-a', HELD)).toEqual(new Set());
  });
});
