import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStateSchema, demoTrafficSchema } from '../../contracts/demo-schemas.ts';
import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { operationDetailSchema } from '../../contracts/operation-schemas.ts';
import { freePort, signIn, startConsole, type RunningConsole } from '../support/console-server.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';

/**
 * Demo mode end to end on the server side: the relay against the real simulator over HTTP, a
 * console pointed at "real Catena" (no control URL) that has no demo routes at all, and a
 * simulator that is down.
 */

let sim: RunningSimulator;
let demo: RunningConsole;
let realCatena: RunningConsole;

beforeAll(async () => {
  sim = await startSimulator();
  demo = await startConsole({ catenaUrl: sim.url, simulatorControlUrl: `${sim.url}/_sim`, subscribe: true, demoAccounts: true });
  await demo.subscribed;
  // The same simulator as upstream, but configured as real Catena is: no SIMULATOR_CONTROL_URL.
  realCatena = await startConsole({ catenaUrl: sim.url });
});
afterAll(async () => {
  await demo?.close();
  await realCatena?.close();
  await sim?.close();
});

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function errorOf(response: Response): Promise<{ status: number; message: string }> {
  const body = (await response.json()) as { error: { message: string } };
  return { status: response.status, message: body.error.message };
}

async function demoState() {
  const response = await demo.fetch('/api/demo');
  expect(response.status).toBe(200);
  return demoStateSchema.parse(await response.json());
}

async function simScenarios() {
  const state = (await sim.control('GET', '/state')) as { scenarios: { scenario: string; tsp: string | null; connection_id: string | null }[] };
  return state.scenarios;
}

describe('with real Catena (no simulator control URL)', () => {
  it('has no demo routes: every one answers 404', async () => {
    const routes: [string, RequestInit][] = [
      ['/api/demo', {}],
      ['/api/demo/scenarios', { method: 'POST', ...json({ scenario: 'outage', tsp: 'geotab' }) }],
      ['/api/demo/traffic', { method: 'PUT', ...json({ writes_per_minute: 1, messages_per_minute: 1 }) }],
      ['/api/demo/reset', { method: 'POST' }],
    ];
    for (const [route, init] of routes) expect((await realCatena.fetch(route, init)).status).toBe(404);
    expect(await simScenarios()).toEqual([expect.objectContaining({ scenario: 'expired_credentials' })]);
  });
});

describe('the demo relay', () => {
  it('switches a Geotab outage on: the simulator has it, a sent message fails in the console, and it switches off', async () => {
    const on = await demo.fetch('/api/demo/scenarios', { method: 'POST', ...json({ scenario: 'outage', tsp: 'geotab' }) });
    expect(on.status).toBe(201);
    const { id } = (await on.json()) as { id: string };
    expect(await simScenarios()).toContainEqual(expect.objectContaining({ scenario: 'outage', tsp: 'geotab', connection_id: null }));
    expect((await demoState()).scenarios).toContainEqual(expect.objectContaining({ id, scenario: 'outage', tsp: 'geotab' }));

    // Its effect, seen in the console: a message to a Geotab fleet fails with the TSP's error.
    const connections = connectionListSchema.parse(await (await demo.fetch('/api/connections')).json()).items;
    const prairie = connections.find((c) => c.name === 'Prairie Haulers');
    expect(prairie?.tsp).toBe('geotab');
    const users = directoryUserListSchema.parse(await (await demo.fetch(`/api/users?connection_id=${prairie?.id}`)).json()).items;
    const sender = users.find((u) => u.role === 'dispatcher' && u.is_active);
    const recipient = users.find((u) => u.role === 'driver' && u.is_active);
    const sent = await demo.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ connection_id: prairie?.id, sender_id: sender?.id, recipient_id: recipient?.id, message_text: 'Yard 3 is closed.' }),
    });
    expect(sent.status).toBe(202);
    const operation = operationDetailSchema.parse(await sent.json());
    const failed = await eventually(async () => {
      const read = operationDetailSchema.parse(await (await demo.fetch(`/api/operations/${operation.id}`)).json());
      if (read.status === 'pending') throw new Error('still pending');
      return read;
    }, 20_000);
    expect(failed).toMatchObject({ status: 'failed', last_error_type: 'tsp' });

    expect((await demo.fetch(`/api/demo/scenarios/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await simScenarios()).not.toContainEqual(expect.objectContaining({ scenario: 'outage' }));
    expect(await errorOf(await demo.fetch(`/api/demo/scenarios/${id}`, { method: 'DELETE' }))).toEqual({
      status: 404,
      message: 'That scenario is already off (someone switched it off, or the demo was reset).',
    });

    const audit = (await (await demo.fetch('/api/audit?limit=20')).json()) as { items: { action: string }[] };
    expect(audit.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['demo_scenario_on', 'demo_scenario_off']));
  });

  it('switches a scenario on for one connection', async () => {
    const [first] = (await demoState()).connections;
    const on = await demo.fetch('/api/demo/scenarios', { method: 'POST', ...json({ scenario: 'slow', connection_id: first?.id }) });
    expect(on.status).toBe(201);
    expect(await simScenarios()).toContainEqual(expect.objectContaining({ scenario: 'slow', connection_id: first?.id, tsp: null }));
    await sim.reset();
  });

  it('answers bad input with words, never a 500', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ scenario: 'earthquake', tsp: 'geotab' }, 400, /^The scenario is not valid — scenario: /],
      [{ scenario: 'outage' }, 400, /Give either connection_id \(one connection\) or tsp/],
      [{ scenario: 'outage', tsp: 'geotab', connection_id: randomUUID() }, 400, /not both or neither/],
      [{ scenario: 'outage', tsp: 'omnitracs' }, 400, /^No connection of the simulator is on omnitracs; its TSPs are /],
      [{ scenario: 'outage', connection_id: randomUUID() }, 404, /^The simulator has no such connection/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await errorOf(await demo.fetch('/api/demo/scenarios', { method: 'POST', ...json(body) }));
      expect(answer.status).toBe(status);
      expect(answer.message).toMatch(message);
    }
    const traffic = await errorOf(
      await demo.fetch('/api/demo/traffic', { method: 'PUT', ...json({ writes_per_minute: 1000, messages_per_minute: 1 }) }),
    );
    expect(traffic).toEqual({ status: 400, message: 'The traffic is not valid — writes_per_minute: At most 300 a minute' });
    expect((await demo.fetch('/api/demo/scenarios/not-an-id', { method: 'DELETE' })).status).toBe(400);
  });

  it('is for admins only, and a write needs the CSRF token', async () => {
    const dispatcher = await signIn(demo.url, 'dispatcher@fleetops.demo', 'demo-dispatcher-password');
    expect((await dispatcher.fetch('/api/demo')).status).toBe(403);
    const noCsrf = await fetch(`${demo.url}/api/demo/reset`, {
      method: 'POST',
      headers: { cookie: (await signIn(demo.url, 'admin@fleetops.demo', 'demo-admin-password')).cookie },
    });
    expect(noCsrf.status).toBe(403);
  });

  it('starts background traffic at two rates, reads them back, and stops it', async () => {
    const started = await demo.fetch('/api/demo/traffic', { method: 'PUT', ...json({ writes_per_minute: 60, messages_per_minute: 120 }) });
    expect(started.status).toBe(200);
    expect(demoTrafficSchema.parse(await started.json())).toMatchObject({ running: true, writes_per_minute: 60, messages_per_minute: 120 });
    expect(await sim.control('GET', '/traffic')).toMatchObject({ rate_per_minute: 180, running: true });
    expect((await demoState()).traffic).toMatchObject({ running: true, writes_per_minute: 60, messages_per_minute: 120 });

    const stopped = await demo.fetch('/api/demo/traffic', { method: 'PUT', ...json({ writes_per_minute: 0, messages_per_minute: 0 }) });
    expect(demoTrafficSchema.parse(await stopped.json())).toMatchObject({ running: false });
    expect(await sim.control('GET', '/traffic')).toMatchObject({ running: false });
  });

  it('resets the demo to its seed: scenarios back to the seeded ones, traffic off', async () => {
    await demo.fetch('/api/demo/scenarios', { method: 'POST', ...json({ scenario: 'flaky_network', tsp: 'samsara' }) });
    await demo.fetch('/api/demo/traffic', { method: 'PUT', ...json({ writes_per_minute: 10, messages_per_minute: 10 }) });
    const reset = await demo.fetch('/api/demo/reset', { method: 'POST' });
    expect(reset.status).toBe(200);
    const state = demoStateSchema.parse(await reset.json());
    expect(state.scenarios.map((s) => s.scenario)).toEqual(['expired_credentials']);
    expect(state.traffic.running).toBe(false);
  });
});

describe('a simulator that does not answer', () => {
  it('answers 503 in words', async () => {
    const orphan = await startConsole({ catenaUrl: sim.url, simulatorControlUrl: `http://127.0.0.1:${await freePort()}/_sim` });
    try {
      expect(await errorOf(await orphan.fetch('/api/demo'))).toEqual({
        status: 503,
        message:
          'The simulator does not answer, so demo controls cannot change anything. Is it still running? `npm start` starts it with the console.',
      });
    } finally {
      await orphan.close();
    }
  });
});
