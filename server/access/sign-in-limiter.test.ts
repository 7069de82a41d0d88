import { expect, it } from 'vitest';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, type Reservation } from './sign-in-limiter.ts';

const ADDRESS = '203.0.113.7';
const OTHER_ADDRESS = '198.51.100.23';
const unknownDevice = { knownDevice: false };

/** Reserves an attempt that then fails (a wrong password): it counts. */
const guess = (limiter: SignInLimiter, email: string, ip = ADDRESS, options = unknownDevice) => limiter.reserve(email, ip, options);

const allowed = (reservations: Reservation[]) => reservations.filter((reservation) => reservation.allowed).length;

describeEachEngine('the sign-in limiter', (openStore, engine) => {
  it('lets one address guess one account five times, then makes it wait; others are not held', async () => {
    const limiter = new SignInLimiter(await openStore());
    for (let attempt = 0; attempt < DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress; attempt += 1) {
      expect((await guess(limiter, 'ana@fleet.test')).allowed).toBe(true);
    }
    const refused = await guess(limiter, 'ana@fleet.test');
    expect(refused).toMatchObject({ allowed: false, scope: 'account_and_address' });
    if (refused.allowed) throw new Error('unreachable');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(DEFAULT_SIGN_IN_LIMITS.windowMs / 1000);

    expect((await guess(limiter, 'ana@fleet.test', OTHER_ADDRESS)).allowed).toBe(true);
    expect((await guess(limiter, 'ben@fleet.test')).allowed).toBe(true);
  });

  it('lets one address guess twenty times across accounts, then makes the address wait', async () => {
    const limiter = new SignInLimiter(await openStore());
    for (let account = 0; account < DEFAULT_SIGN_IN_LIMITS.perAddress; account += 1) {
      expect((await guess(limiter, `driver-${account}@fleet.test`)).allowed).toBe(true);
    }
    expect(await guess(limiter, 'someone-new@fleet.test')).toMatchObject({ allowed: false, scope: 'address' });
    expect((await guess(limiter, 'someone-new@fleet.test', OTHER_ADDRESS)).allowed).toBe(true);
  });

  it('a success gives its attempt back and clears the count for that account, but keeps the other failures', async () => {
    const limiter = new SignInLimiter(await openStore(), { ...DEFAULT_SIGN_IN_LIMITS, perAddress: 3 });
    expect((await guess(limiter, 'ben@fleet.test')).allowed).toBe(true);
    expect((await guess(limiter, 'cleo@fleet.test')).allowed).toBe(true);
    const signIn = await limiter.reserve('ana@fleet.test', ADDRESS, unknownDevice);
    if (!signIn.allowed) throw new Error('the third attempt should be let through');
    await signIn.succeeded();
    // Two failures count against the address, the success does not: one more guess, then none.
    expect((await guess(limiter, 'dan@fleet.test')).allowed).toBe(true);
    expect(await guess(limiter, 'eve@fleet.test')).toMatchObject({ allowed: false, scope: 'address' });
  });

  it('after signing in, the person has their five attempts at the account again', async () => {
    const limiter = new SignInLimiter(await openStore());
    for (let attempt = 0; attempt < 4; attempt += 1) await guess(limiter, 'ana@fleet.test');
    const signIn = await limiter.reserve('ana@fleet.test', ADDRESS, unknownDevice);
    if (!signIn.allowed) throw new Error('the fifth attempt should be let through');
    await signIn.succeeded();
    const again = [];
    for (let attempt = 0; attempt < 6; attempt += 1) again.push(await guess(limiter, 'ana@fleet.test'));
    expect(allowed(again)).toBe(DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress);
  });

  it('holds an account guessed from many addresses, but not its owner on a device that signed in before', async () => {
    const limiter = new SignInLimiter(await openStore(), { ...DEFAULT_SIGN_IN_LIMITS, perAccount: 3 });
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) expect((await guess(limiter, 'ana@fleet.test', ip)).allowed).toBe(true);
    expect(await guess(limiter, 'ana@fleet.test', '192.0.2.4')).toMatchObject({ allowed: false, scope: 'account' });
    expect((await guess(limiter, 'ana@fleet.test', '192.0.2.4', { knownDevice: true })).allowed).toBe(true);
  });

  it('counts the attempts every server sees: guesses spread over two servers share one budget', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new SignInLimiter(database));
    for (let attempt = 0; attempt < DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress; attempt += 1) {
      expect((await guess(attempt % 2 === 0 ? a! : b!, 'ana@fleet.test')).allowed).toBe(true);
    }
    expect(await guess(a!, 'ana@fleet.test')).toMatchObject({ allowed: false, scope: 'account_and_address' });
    expect(await guess(b!, 'ana@fleet.test')).toMatchObject({ allowed: false, scope: 'account_and_address' });
  });

  it('of a burst of guesses at one account on two servers at once, no more than five get through', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new SignInLimiter(database));
    const burst = await Promise.all(Array.from({ length: 12 }, (_, index) => guess(index % 2 === 0 ? a! : b!, 'ana@fleet.test')));
    expect(allowed(burst)).toBe(DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress);
  });

  it('of a burst of guesses at many accounts from one address on two servers at once, no more than twenty get through', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new SignInLimiter(database));
    const burst = await Promise.all(Array.from({ length: 30 }, (_, index) => guess(index % 2 === 0 ? a! : b!, `driver-${index}@fleet.test`)));
    expect(allowed(burst)).toBe(DEFAULT_SIGN_IN_LIMITS.perAddress);
  });
});
