import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { operationDetailSchema, operationPageSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import { startConsole, TEST_WEBHOOK_SECRET, SIM_CLIENT_SECRET, type RunningConsole } from '../support/console-server.ts';
import { scalarOf } from '../support/store-queries.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';

let sim: RunningSimulator;
let consoleServer: RunningConsole;

beforeAll(async () => {
  sim = await startSimulator();
  // Webhooks only: with the reconciler off, every final state seen here came by webhook.
  consoleServer = await startConsole({ catenaUrl: sim.url, subscribe: true, reconcile: false });
  await consoleServer.subscribed;
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});
afterEach(async () => {
  // Back to the seeded scenarios (Coastal Carriers' expired credentials among them); subscriptions stay.
  await sim.reset();
});

async function api(path: string, init?: RequestInit) {
  return consoleServer.fetch(path, init);
}

async function connectionNamed(name: string) {
  const { items } = connectionListSchema.parse(await (await api('/api/connections')).json());
  const connection = items.find((c) => c.name === name);
  if (!connection) throw new Error(`no connection ${name} in ${items.map((c) => c.name).join(', ')}`);
  return connection;
}

async function people(connectionId: string) {
  const users = async (role: string) =>
    directoryUserListSchema.parse(await (await api(`/api/users?connection_id=${connectionId}&role=${role}`)).json()).items.filter((u) => u.is_active);
  const [dispatcher] = await users('dispatcher');
  const [driver] = await users('driver');
  if (!dispatcher || !driver) throw new Error('connection has no active dispatcher or driver');
  return { sender_id: dispatcher.id, recipient_id: driver.id };
}

async function send(connectionName: string, extra: Record<string, unknown> = {}, key: string = randomUUID()) {
  const connection = await connectionNamed(connectionName);
  const body = { connection_id: connection.id, ...(await people(connection.id)), message_text: `Check-in ${randomUUID().slice(0, 8)}`, ...extra };
  const response = await api('/api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { response, operation: operationDetailSchema.parse(await response.json()), body };
}

async function finalState(id: string): Promise<OperationDetail> {
  return eventually(async () => {
    const op = operationDetailSchema.parse(await (await api(`/api/operations/${id}`)).json());
    if (op.status === 'pending') throw new Error(`operation ${id} still pending after ${op.attempt_count} attempts`);
    return op;
  });
}

describe('a message through the console, the simulator and back by webhook', () => {
  it('goes 202 → pending → success, with Catena ids resolved in the payload', async () => {
    const { response, operation } = await send('Northwind Freight');
    expect(response.status).toBe(202);
    expect(operation.status).toBe('pending');
    expect(operation.payload).toMatchObject({ source_sender_id: expect.any(String), source_recipient_id: expect.any(String) });
    // Stored at once: the SPA can show it before any webhook.
    expect((await api(`/api/operations/${operation.id}`)).status).toBe(200);

    const done = await finalState(operation.id);
    expect(done).toMatchObject({ status: 'success', attempt_count: 1, last_error_type: null, source_name: 'samsara' });
    expect(done.resource_id).toEqual(expect.any(String));
    const seenVia = await scalarOf(consoleServer.database, sql`SELECT seen_via FROM operations WHERE id = ${operation.id}`);
    expect(seenVia).toBe('webhook');
  });

  it('fails with one auth attempt on the connection whose credentials expired', async () => {
    const { operation } = await send('Coastal Carriers');
    const done = await finalState(operation.id);
    expect(done.status).toBe('failed');
    expect(done.logs).toHaveLength(1);
    expect(done.logs[0]).toMatchObject({ status: 'failed', error_type: 'auth' });
    expect(done.last_error_type).toBe('auth');
  });

  it('heals under flaky_network: network attempts first, then success', async () => {
    const connection = await connectionNamed('Blue Ridge Logistics');
    await sim.scenario('flaky_network', connection.id);
    const { operation } = await send('Blue Ridge Logistics');
    const done = await finalState(operation.id);
    expect(done.status).toBe('success');
    const failed = done.logs.filter((log) => log.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.every((log) => log.error_type === 'network')).toBe(true);
    expect(done.logs.at(-1)?.status).toBe('success');
    expect(done.last_error_type).toBe('network');
  });

  it('ends failed with tsp attempts after the last retry under an outage', async () => {
    const connection = await connectionNamed('Prairie Haulers');
    await sim.scenario('outage', connection.id);
    const { operation } = await send('Prairie Haulers');
    const done = await eventually(() => finalState(operation.id), 20_000);
    expect(done.status).toBe('failed');
    expect(done.logs).toHaveLength(5);
    expect(done.logs.every((log) => log.error_type === 'tsp')).toBe(true);
  });

  it("answers a sync message with Catena's 200, or its 502 when the TSP fails", async () => {
    const ok = await send('Northwind Freight', { is_sync: true });
    expect(ok.response.status).toBe(200);
    expect(ok.operation.status).toBe('success');

    await sim.scenario('outage', (await connectionNamed('Northwind Freight')).id);
    const failed = await send('Northwind Freight', { is_sync: true });
    expect(failed.response.status).toBe(502);
    expect(failed.operation).toMatchObject({ status: 'failed', attempt_count: 1, last_error_type: 'tsp' });
  });

  it('sends once for an idempotency key used twice, even at the same moment', async () => {
    const key = `intent-${randomUUID()}`;
    const connection = await connectionNamed('Northwind Freight');
    const body = { connection_id: connection.id, ...(await people(connection.id)), message_text: `Only once ${randomUUID()}` };
    const post = () =>
      api('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    const [a, b] = await Promise.all([post(), post()]);
    const statuses = [a.status, b.status].sort();
    // One sends; the other is told to retry (in flight) or replays the first answer.
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(1);
    const later = await post();
    expect(later.status).toBe(202);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    const first = operationDetailSchema.parse(await (a.status === 202 ? a : b).json());
    expect(operationDetailSchema.parse(await later.json()).id).toBe(first.id);

    // Catena's own list is the judge: the reconciler stores every operation it has.
    await consoleServer.reconciler.runOnce();
    const matches = operationPageSchema.parse(await (await api(`/api/operations?q=${encodeURIComponent(body.message_text)}`)).json());
    expect(matches.items).toHaveLength(1);

    const reused = await api('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ ...body, message_text: 'Something else' }),
    });
    expect(reused.status).toBe(422);
  });

  it('refuses an unknown connection with a 404 that says so', async () => {
    const northwind = await connectionNamed('Northwind Freight');
    const response = await api('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connection_id: randomUUID(), ...(await people(northwind.id)), message_text: 'Hi' }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'connection_not_found' } });
  });

  it('never puts a secret or token in an answer or a log line', async () => {
    const bodies: string[] = [];
    for (const path of ['/api/health', '/api/connections', '/api/users', '/api/operations', '/api/operations/summary']) {
      bodies.push(await (await api(path)).text());
    }
    bodies.push(JSON.stringify((await send('Northwind Freight')).operation));
    const everything = `${bodies.join('\n')}\n${consoleServer.logs()}`;
    expect(everything).not.toContain(SIM_CLIENT_SECRET);
    expect(everything).not.toContain(TEST_WEBHOOK_SECRET);
    expect(everything).not.toMatch(/Bearer\s+\S/);
    expect(everything).not.toMatch(/access_token/);
  });
});

describe('resending a failed message', () => {
  it('sends the same payload as a new operation, linked both ways, once per key', async () => {
    const { operation, body } = await send('Coastal Carriers');
    const failed = await finalState(operation.id);
    expect(failed.status).toBe('failed');

    // The fleet re-authorised: the credentials scenario is cleared, then support resends.
    await sim.clearScenarios();
    const resend = () => api(`/api/operations/${failed.id}/resend`, { method: 'POST', headers: { 'idempotency-key': `resend-${failed.id}` } });
    const response = await resend();
    expect(response.status).toBe(202);
    const resent = operationDetailSchema.parse(await response.json());
    expect(resent.id).not.toBe(failed.id);
    expect(resent.resend_of).toBe(failed.id);
    expect(resent.payload).toMatchObject({ message_text: body.message_text, recipient_id: body.recipient_id });
    expect(operationDetailSchema.parse(await (await api(`/api/operations/${failed.id}`)).json()).resent_as).toEqual([resent.id]);
    expect((await finalState(resent.id)).status).toBe('success');

    const again = await resend();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(operationDetailSchema.parse(await again.json()).id).toBe(resent.id);
  });

  it('refuses to resend an operation that did not fail', async () => {
    const { operation } = await send('Northwind Freight');
    await finalState(operation.id);
    const response = await api(`/api/operations/${operation.id}/resend`, { method: 'POST' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'not_resendable' } });
  });
});

describe('the reconciler', () => {
  it('brings the final state when webhooks cannot reach the console', async () => {
    // This console tells Catena to deliver to a port nobody listens on.
    const deaf = await startConsole({ catenaUrl: sim.url, subscribe: true, reconcile: false, publicUrl: 'http://127.0.0.1:9' });
    try {
      await deaf.subscribed;
      const connection = await connectionNamed('Northwind Freight');
      const body = { connection_id: connection.id, ...(await people(connection.id)), message_text: `Missed webhook ${randomUUID()}` };
      const response = await deaf.fetch('/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const { id } = operationDetailSchema.parse(await response.json());

      const done = await eventually(async () => {
        await deaf.reconciler.runOnce();
        const op = operationDetailSchema.parse(await (await deaf.fetch(`/api/operations/${id}`)).json());
        if (op.status === 'pending') throw new Error('still pending');
        return op;
      });
      expect(done.status).toBe('success');
      expect(await scalarOf(deaf.database, sql`SELECT seen_via FROM operations WHERE id = ${id}`)).toBe('reconciler');
    } finally {
      await deaf.close();
    }
  });
});
