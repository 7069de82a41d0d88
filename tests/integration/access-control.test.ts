import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capability, Role } from '../../contracts/access-schemas.ts';
import { DEMO_ACCOUNTS } from '../../server/access/bootstrap-accounts.ts';
import {
  SIM_CLIENT_SECRET,
  signIn,
  startConsole,
  TEST_ADMIN,
  TEST_WEBHOOK_SECRET,
  type RunningConsole,
  type SignedIn,
} from '../support/console-server.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

/**
 * Who may call what. Every /api route the server registers must be listed here: a new endpoint
 * without a line fails the first test, so nobody adds one without deciding who may use it.
 */
const expected: Record<string, 'public' | Capability> = {
  'GET /api/health/live': 'public',
  'GET /api/health/ready': 'public',
  'GET /api/session/options': 'public',
  'POST /api/session': 'public',
  'GET /api/session': 'view',
  'DELETE /api/session': 'view',
  'GET /api/health': 'view',
  'GET /api/connections': 'view',
  'GET /api/users': 'view',
  'GET /api/vehicles': 'view',
  'GET /api/trailers': 'view',
  'GET /api/operations': 'view',
  'GET /api/operations/summary': 'view',
  'GET /api/operations/timeline': 'view',
  'GET /api/operations/facets': 'view',
  'GET /api/operations/failures': 'view',
  'GET /api/operations/:id/record': 'view',
  'GET /api/operations/:id': 'view',
  'POST /api/operations/:id/resend': 'resend',
  'POST /api/messages': 'send',
  'GET /api/broadcasts': 'view',
  'GET /api/broadcasts/:id': 'view',
  'POST /api/broadcasts': 'send',
  'POST /api/broadcasts/:id/resend-failed': 'resend',
  'GET /api/sends/:id': 'view',
  'POST /api/resend-batches': 'resend',
  'GET /api/resend-batches': 'view',
  'GET /api/resend-batches/:id': 'view',
  'POST /api/resend-batches/:id/cancel': 'resend',
  'GET /api/incidents': 'view',
  'GET /api/incidents/:id': 'view',
  'POST /api/incidents/:id/armed-resend': 'resend',
  'GET /api/accounts': 'admin',
  'POST /api/accounts': 'admin',
  'PATCH /api/accounts/:id': 'admin',
  'GET /api/audit': 'admin',
  'GET /api/webhook-subscription': 'admin',
  'POST /api/webhook-subscription/replay': 'admin',
};

const allowed: Record<Role, readonly Capability[]> = {
  admin: ['view', 'resend', 'send', 'admin'],
  dispatcher: ['view', 'resend', 'send'],
  support: ['view', 'resend'],
  viewer: ['view'],
};

let sim: RunningSimulator;
let consoleServer: RunningConsole;
const as = {} as Record<Role, SignedIn>;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, demoAccounts: true });
  for (const demo of DEMO_ACCOUNTS) as[demo.role] = await signIn(consoleServer.url, demo.email, demo.password);
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});

const placeholder = '00000000-0000-4000-8000-000000000000';
const concrete = (url: string) => url.replace(/:[a-z_]+/g, placeholder);

describe('who may call what', () => {
  it('has a rule for every /api route, and the rule is the one expected', () => {
    const actual = Object.fromEntries(consoleServer.accessRules.map((rule) => [`${rule.method} ${rule.url}`, rule.access]));
    expect(actual).toEqual(expected);
  });

  it.each(Object.entries(expected))('%s: 401 signed out, 403 without the capability, through otherwise', async (route, access) => {
    const [method = 'GET', url = '/'] = route.split(' ');
    // Sign-out would end the shared sessions; it gets its own test below.
    if (route === 'DELETE /api/session') return;
    const init: RequestInit = { method, ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) };

    const outcome = (status: number) => (status === 401 ? 'signed out' : status === 403 ? 'forbidden' : 'through');
    const seen: Record<string, string> = {};
    const wanted: Record<string, string> = {};
    const anonymous = await fetch(`${consoleServer.url}${concrete(url)}`, init);
    seen.anonymous = outcome(anonymous.status);
    wanted.anonymous = access === 'public' ? 'through' : 'signed out';
    for (const role of Object.keys(allowed) as Role[]) {
      const response = await as[role].fetch(concrete(url), init);
      seen[role] = outcome(response.status);
      wanted[role] = access === 'public' || allowed[role].includes(access) ? 'through' : 'forbidden';
    }
    expect(seen).toEqual(wanted);
  });
});

describe('sessions and forged requests', () => {
  it("refuses a write from another site, or without the session's CSRF token", async () => {
    const viewerless = as.dispatcher;
    const crossSite = await fetch(`${consoleServer.url}/api/messages`, {
      method: 'POST',
      headers: {
        cookie: viewerless.cookie,
        'x-csrf-token': viewerless.csrfToken,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: 'cross_site_request' } });

    const noToken = await fetch(`${consoleServer.url}/api/messages`, {
      method: 'POST',
      headers: { cookie: viewerless.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ error: { code: 'csrf_token_invalid' } });
  });

  it('starts a new session at sign-in and never accepts the one the browser brought', async () => {
    const planted = await signIn(consoleServer.url, DEMO_ACCOUNTS[3]!.email, DEMO_ACCOUNTS[3]!.password);
    const response = await fetch(`${consoleServer.url}/api/session`, {
      method: 'POST',
      headers: { cookie: planted.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }),
    });
    expect(response.status).toBe(200);
    const fresh = (response.headers.get('set-cookie') ?? '').split(';')[0];
    expect(fresh).not.toBe(planted.cookie);
    expect((await planted.fetch('/api/session')).status).toBe(401);
    const invented = await fetch(`${consoleServer.url}/api/session`, {
      headers: { cookie: 'fleetops_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(invented.status).toBe(401);
  });

  it('sets the cookie HttpOnly and SameSite, and ends the session on sign-out', async () => {
    const response = await fetch(`${consoleServer.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_ACCOUNTS[2]!.email, password: DEMO_ACCOUNTS[2]!.password }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    const session = await signIn(consoleServer.url, DEMO_ACCOUNTS[2]!.email, DEMO_ACCOUNTS[2]!.password);
    expect((await session.fetch('/api/session', { method: 'DELETE' })).status).toBe(204);
    expect((await session.fetch('/api/health')).status).toBe(401);
  });

  it('answers a wrong email and a wrong password alike, and slows down guessing', async () => {
    const attempt = (email: string, password: string) =>
      fetch(`${consoleServer.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
        body: JSON.stringify({ email, password }),
      });
    const unknown = await attempt('nobody@console.test', 'whatever-password');
    const wrong = await attempt(DEMO_ACCOUNTS[1]!.email, 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());

    for (let i = 0; i < 4; i += 1) await attempt(DEMO_ACCOUNTS[1]!.email, `guess-${i}`);
    const locked = await attempt(DEMO_ACCOUNTS[1]!.email, DEMO_ACCOUNTS[1]!.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('puts the security headers on every answer', async () => {
    for (const path of ['/api/health/live', '/', '/operations']) {
      const response = await fetch(`${consoleServer.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});

describe('accounts and the audit log', () => {
  it('lets an admin add, demote and disable accounts, and records every write with who and when', async () => {
    const created = await as.admin.fetch('/api/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'new.dispatcher@console.test', name: 'New Dispatcher', role: 'dispatcher', password: 'a-long-enough-password' }),
    });
    expect(created.status).toBe(201);
    const account = (await created.json()) as { id: string };
    const newcomer = await signIn(consoleServer.url, 'new.dispatcher@console.test', 'a-long-enough-password');
    expect((await newcomer.fetch('/api/session')).status).toBe(200);

    const demoted = await as.admin.fetch(`/api/accounts/${account.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'viewer' }),
    });
    expect(demoted.status).toBe(200);
    // A changed role ends the account's sessions: it signs in again with the new rights.
    expect((await newcomer.fetch('/api/session')).status).toBe(401);

    await as.admin.fetch(`/api/accounts/${account.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    const refused = await fetch(`${consoleServer.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'new.dispatcher@console.test', password: 'a-long-enough-password' }),
    });
    expect(refused.status).toBe(401);

    const audit = (await (await as.admin.fetch('/api/audit?limit=500')).json()) as {
      items: { action: string; actor_email: string | null; target: string | null; at: string }[];
    };
    const actions = audit.items.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['sign_in', 'sign_in_failed', 'account_created', 'account_updated']));
    expect(audit.items.find((e) => e.action === 'account_created')).toMatchObject({
      actor_email: 'admin@fleetops.demo',
      target: 'new.dispatcher@console.test',
    });
  });

  it('never lets the last admin be removed', async () => {
    const accounts = (await (await as.admin.fetch('/api/accounts')).json()) as { items: { id: string; role: string; email: string }[] };
    const me = accounts.items.find((a) => a.email === 'admin@fleetops.demo');
    for (const other of accounts.items.filter((a) => a.role === 'admin' && a.id !== me?.id)) {
      const disabled = await as.admin.fetch(`/api/accounts/${other.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ disabled: true }),
      });
      expect(disabled.status).toBe(200);
    }
    const last = await as.admin.fetch(`/api/accounts/${me?.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'viewer' }),
    });
    expect(last.status).toBe(409);
    expect(await last.json()).toMatchObject({ error: { code: 'last_admin' } });
  });
});

describe('secrets', () => {
  it('never appear in any answer or log line', async () => {
    const bodies: string[] = [];
    for (const route of Object.keys(expected)) {
      const [method = 'GET', url = '/'] = route.split(' ');
      if (route === 'DELETE /api/session') continue;
      const response = await as.admin.fetch(
        concrete(url),
        method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: '{}' },
      );
      bodies.push(JSON.stringify([...response.headers]), await response.text());
    }
    const everything = `${bodies.join('\n')}\n${consoleServer.logs()}`;
    for (const secret of [SIM_CLIENT_SECRET, TEST_WEBHOOK_SECRET, TEST_ADMIN.password, ...DEMO_ACCOUNTS.map((d) => d.password)]) {
      // The demo passwords are shown on purpose by /api/session/options (simulator only); nowhere else.
      const where = everything.replace(
        JSON.stringify({ demo_accounts: DEMO_ACCOUNTS.map(({ email, password, role }) => ({ email, password, role })) }),
        '',
      );
      expect(where).not.toContain(secret);
    }
    expect(everything).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
    expect(everything).not.toContain('access_token');
    expect(everything).not.toMatch(/scrypt\$/);
  });
});
