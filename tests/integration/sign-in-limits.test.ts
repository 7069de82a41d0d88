import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/access-schemas.ts';
import { DEMO_ACCOUNTS } from '../../server/access/bootstrap-accounts.ts';
import { DEFAULT_SIGN_IN_LIMITS } from '../../server/access/sign-in-limiter.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

/**
 * Guessing is limited, and nobody can use the limits to lock a person out. The console trusts
 * X-Forwarded-For here, so each request can come from an address of the test's choosing.
 */
let sim: RunningSimulator;
let consoleServer: RunningConsole;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, demoAccounts: true, trustProxy: true });
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});

const account = (role: Role) => DEMO_ACCOUNTS.find((demo) => demo.role === role)!;

function attempt(from: string, email: string, password: string, cookie?: string) {
  return fetch(`${consoleServer.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ email, password }),
  });
}

/** The device cookie a successful sign-in leaves in the browser. */
function deviceCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('fleetops_device='));
  if (!cookie) throw new Error('no device cookie was set');
  expect(cookie).toMatch(/HttpOnly/);
  return cookie.split(';')[0]!;
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('sign-in under attack', () => {
  it('checks at most 5 passwords of a burst of 60 parallel guesses for one account, the right one among them', async () => {
    const viewer = account('viewer');
    const guesses = Array.from({ length: 60 }, (_, i) => (i === 37 ? viewer.password : `wrong-guess-${i}`));
    const statuses = (await Promise.all(guesses.map((password) => attempt('203.0.113.10', viewer.email, password)))).map((r) => r.status);
    const counts = tally(statuses);
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBeLessThanOrEqual(DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress);
    expect(counts[429]).toBeGreaterThanOrEqual(60 - DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress);
  });

  it('lets the real user in from another address after someone failed five times', async () => {
    const dispatcher = account('dispatcher');
    for (let i = 0; i < 5; i += 1) expect((await attempt('203.0.113.20', dispatcher.email, `guess-${i}`)).status).toBe(401);
    const attacker = await attempt('203.0.113.20', dispatcher.email, dispatcher.password);
    expect(attacker.status).toBe(429);

    const realUser = await attempt('198.51.100.20', dispatcher.email, dispatcher.password);
    expect(realUser.status).toBe(200);
  });

  it('says when to try again: a Retry-After header and a message with the wait', async () => {
    const answer = await attempt('203.0.113.20', account('dispatcher').email, 'another-guess');
    expect(answer.status).toBe(429);
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const body = (await answer.json()) as { error: { code: string; message: string; details: { retry_after_seconds: number } } };
    expect(body.error).toMatchObject({ code: 'too_many_attempts', details: { retry_after_seconds: retryAfter } });
    expect(body.error.message).toMatch(/Try again in \d+ (min|s)\./);
  });

  it('holds guesses from many addresses at the account limit, but not the owner on a browser that signed in before', async () => {
    const support = account('support');
    const earlier = await attempt('198.51.100.30', support.email, support.password);
    expect(earlier.status).toBe(200);
    const device = deviceCookieOf(earlier);

    // Spread over many addresses, each stays under its own limits; together they spend the account's.
    const spread = Array.from({ length: DEFAULT_SIGN_IN_LIMITS.perAccount }, (_, i) =>
      attempt(`192.0.2.${i + 1}`, support.email, `spread-guess-${i}`),
    );
    expect(tally((await Promise.all(spread)).map((r) => r.status))).toEqual({ 401: DEFAULT_SIGN_IN_LIMITS.perAccount });

    const cases: [string, string, string | undefined, number][] = [
      ['an attacker from a fresh address', '192.0.2.200', undefined, 429],
      ['the owner on a new browser', '198.51.100.31', undefined, 429],
      ['a forged device cookie', '192.0.2.201', `${device.slice(0, -4)}AAAA`, 429],
      ['the owner on the browser that signed in before', '198.51.100.32', device, 200],
    ];
    const seen = Object.fromEntries(
      await Promise.all(cases.map(async ([who, from, cookie]) => [who, (await attempt(from, support.email, support.password, cookie)).status])),
    );
    expect(seen).toEqual(Object.fromEntries(cases.map(([who, , , status]) => [who, status])));
  });

  it("does not exempt another account's known device", async () => {
    const admin = DEMO_ACCOUNTS.find((demo) => demo.role === 'admin')!;
    const adminDevice = deviceCookieOf(await attempt('198.51.100.40', admin.email, admin.password));
    // support's account limit is spent (above): admin's device cookie does not lift it.
    expect((await attempt('198.51.100.41', account('support').email, account('support').password, adminDevice)).status).toBe(429);
  });

  it('stops one address guessing many accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < DEFAULT_SIGN_IN_LIMITS.perAddress; i += 1)
      statuses.push((await attempt('203.0.113.50', `someone-${i}@example.test`, 'a-guess')).status);
    expect(tally(statuses)).toEqual({ 401: DEFAULT_SIGN_IN_LIMITS.perAddress });
    const next = await attempt('203.0.113.50', account('viewer').email, account('viewer').password);
    expect(next.status).toBe(429);
    expect(((await next.json()) as { error: { details: { scope: string } } }).error.details.scope).toBe('address');
  });
});
