import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../server/access/bootstrap-accounts.ts';
import { allowedHostnames } from '../../server/http/host-allow-list.ts';
import { signIn, startConsole, type RunningConsole, type SignedIn } from '../support/console-server.ts';
import { rawRequest } from '../support/raw-http.ts';
import { startSimulator, type RunningSimulator } from '../support/simulator.ts';

let sim: RunningSimulator;
let consoleServer: RunningConsole;
let dispatcher: SignedIn;
let port: string;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, demoAccounts: true });
  port = new URL(consoleServer.url).port;
  const demo = DEMO_ACCOUNTS.find((account) => account.role === 'dispatcher')!;
  dispatcher = await signIn(consoleServer.url, demo.email, demo.password);
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});

/** A page on `host` that resolves to this machine, asking as a browser would (Origin = that page). */
function asPageOn(host: string, method: string, path: string, extra: Record<string, string> = {}, body?: string) {
  return rawRequest(`${consoleServer.url}${path}`, {
    method,
    headers: { host, origin: `http://${host}`, ...(body ? { 'content-type': 'application/json' } : {}), ...extra },
    ...(body ? { body } : {}),
  });
}

describe('the console answers only to its own names', () => {
  const own = () => [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`];
  const foreign = () => ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example`, `10.0.0.7:${port}`];

  it('serves the sign-in options on its own names (listening on loopback)', async () => {
    const seen = Object.fromEntries(
      await Promise.all(own().map(async (host) => [host, (await asPageOn(host, 'GET', '/api/session/options')).status])),
    );
    expect(seen).toEqual(Object.fromEntries(own().map((host) => [host, 200])));
  });

  it.each([
    ['the sign-in page lists no demo passwords', 'GET', '/api/session/options', undefined],
    ['sign-in', 'POST', '/api/session', JSON.stringify({ email: DEMO_ACCOUNTS[0]!.email, password: DEMO_ACCOUNTS[0]!.password })],
    ['the web app', 'GET', '/', undefined],
    ['the webhook receiver', 'POST', '/webhooks/catena', '{}'],
    ['an unknown path', 'GET', '/api/nothing-here', undefined],
  ])('refuses a foreign Host before any route runs: %s', async (_what, method, path, body) => {
    const seen: Record<string, number> = {};
    for (const host of foreign()) {
      const answer = await asPageOn(host, method, path, {}, body);
      seen[host] = answer.status;
      expect(answer.body).not.toContain('password');
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    expect(seen).toEqual(Object.fromEntries(foreign().map((host) => [host, 421])));
  });

  it('sends no message for a page on a rebound name, even with a valid session and CSRF token', async () => {
    const answer = await asPageOn(
      `evil.example:${port}`,
      'POST',
      '/api/messages',
      { cookie: dispatcher.cookie, 'x-csrf-token': dispatcher.csrfToken, 'idempotency-key': crypto.randomUUID() },
      JSON.stringify({
        connection_id: crypto.randomUUID(),
        sender_id: crypto.randomUUID(),
        recipient_id: crypto.randomUUID(),
        message_text: 'hello',
      }),
    );
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unknown_host', message: expect.stringContaining('answers only to') } });
  });

  it('refuses a request with no Host at all', async () => {
    // HTTP/1.1 without Host is malformed; Node answers 400 itself or the hook does.
    const answer = await rawRequest(`${consoleServer.url}/api/session/options`, { headers: { host: '' } });
    expect(answer.status).toBe(400);
  });
});

describe("which names are the console's own", () => {
  it.each([
    ['on loopback with the default PUBLIC_URL', 'http://localhost:8080', '127.0.0.1', [], ['localhost', '127.0.0.1', '[::1]']],
    ['on all interfaces behind its public name', 'https://console.example.com', '0.0.0.0', [], ['console.example.com']],
    ['on all interfaces, with extra names', 'https://console.example.com', '0.0.0.0', ['ops.internal'], ['console.example.com', 'ops.internal']],
    [
      'on loopback behind its public name',
      'https://console.example.com',
      '127.0.0.1',
      [],
      ['console.example.com', 'localhost', '127.0.0.1', '[::1]'],
    ],
  ])('%s', (_case, publicUrl, listenHost, extra, expected) => {
    expect([...allowedHostnames({ publicUrl, listenHost, extra })].sort()).toEqual([...expected].sort());
  });
});
