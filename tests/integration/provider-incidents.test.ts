import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentListSchema, incidentSchema, type Incident } from '../../contracts/incident-schemas.ts';
import { operationPageSchema } from '../../contracts/operation-schemas.ts';
import { resendBatchDetailSchema, type ResendBatchDetail } from '../../contracts/resend-batch-schemas.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { fleetOf } from '../support/fleet-directory.ts';
import { eventually, messagesPerRecipient, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { freshPostgresDatabase } from '../support/test-databases.ts';

let sim: RunningSimulator;
let consoleServer: RunningConsole;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({
    catenaUrl: sim.url,
    subscribe: true,
    dispatch: true,
    incidentRules: FAST_RULES,
  });
  await consoleServer.subscribed;
  // The seeded expired credentials on Coastal Carriers would fail its writes `auth`, which is no provider outage.
  await sim.clearScenarios();
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});

/** Small thresholds and a fast look, so a story takes seconds; the rules are the defaults' shape. */
const FAST_RULES = { openAfterFailures: 4, windowMs: 5 * 60_000, closeAfterSuccesses: 2, quietMs: 10 * 60_000, checkEveryMs: 100 };

type Api = Pick<RunningConsole, 'fetch'>;

async function incidents(query = '', api: Api = consoleServer): Promise<Incident[]> {
  return incidentListSchema.parse((await json(api, `/api/incidents${query}`)).body).items;
}

async function incident(id: string, api: Api = consoleServer): Promise<Incident> {
  return incidentSchema.parse((await json(api, `/api/incidents/${id}`)).body);
}

async function batchDone(id: string, api: Api = consoleServer): Promise<ResendBatchDetail> {
  return eventually(async () => {
    const batch = resendBatchDetailSchema.parse((await json(api, `/api/resend-batches/${id}`)).body);
    if (!batch.finished || batch.counts.pending > 0) throw new Error(`still going: ${JSON.stringify(batch.counts)}`);
    return batch;
  }, 30_000);
}

async function send(connectionId: string, senderId: string, recipientId: string, text: string, api: Api = consoleServer) {
  const sent = await post(api, '/api/messages', { connection_id: connectionId, sender_id: senderId, recipient_id: recipientId, message_text: text });
  expect(sent.status).toBe(202);
}

describe('a provider outage', () => {
  it('opens one incident, recovery closes it, and the armed resend then sends each failed recipient once', async () => {
    const northwind = await fleetOf(consoleServer, 'Northwind Freight');
    const coastal = await fleetOf(consoleServer, 'Coastal Carriers');
    expect([northwind.connection.tsp, coastal.connection.tsp]).toEqual(['samsara', 'samsara']);
    await sim.control('POST', '/scenarios', { scenario: 'outage', tsp: 'samsara' });

    const text = `Bridge out on I-80, take exit 41 ${randomUUID()}`;
    const recipients = [
      ...northwind.drivers.slice(0, 3).map((driver) => ({ fleet: northwind, driver })),
      ...coastal.drivers.slice(0, 3).map((driver) => ({ fleet: coastal, driver })),
    ];
    for (const { fleet, driver } of recipients) await send(fleet.connection.id, fleet.dispatcher.id, driver.id, text);

    const [open] = await eventually(async () => {
      const found = await incidents('?open=true');
      if (found[0]?.failed_count !== recipients.length) throw new Error(`not yet: ${JSON.stringify(found)}`);
      return found;
    }, 30_000);
    expect(await incidents('?open=true')).toHaveLength(1);
    expect(open).toMatchObject({ tsp: 'samsara', closed_at: null, failed_count: 6, armed_resend: null });
    expect(open!.connection_ids.sort()).toEqual([northwind.connection.id, coastal.connection.id].sort());

    // The folded row's rows, and the table without them.
    const folded = operationPageSchema.parse((await json(consoleServer, `/api/operations?incident=${open!.id}&limit=50`)).body);
    expect(folded.items.map((op) => [op.status, op.last_error_type])).toEqual(Array.from({ length: 6 }, () => ['failed', 'tsp']));
    const rest = operationPageSchema.parse((await json(consoleServer, `/api/operations?exclude_incident=${open!.id}&limit=50`)).body);
    expect(rest.items.filter((op) => op.payload.message_text === text)).toEqual([]);

    // Armed twice (a double click), with one key and with another: armed once, and audited once.
    const key = randomUUID();
    const armed = await post(consoleServer, `/api/incidents/${open!.id}/armed-resend`, {}, key);
    expect(armed.status).toBe(202);
    expect(incidentSchema.parse(armed.body).armed_resend).toMatchObject({ armed_by_name: 'Administrator', resend_batch_id: null });
    expect((await post(consoleServer, `/api/incidents/${open!.id}/armed-resend`, {}, key)).status).toBe(200);
    expect((await post(consoleServer, `/api/incidents/${open!.id}/armed-resend`)).status).toBe(200);

    // The provider recovers; writes that succeed close the incident.
    await sim.clearScenarios();
    const fresh = `All clear on I-80 ${randomUUID()}`;
    for (const driver of northwind.drivers.slice(3, 5)) await send(northwind.connection.id, northwind.dispatcher.id, driver.id, fresh);
    const closed = await eventually(async () => {
      const now = await incident(open!.id);
      if (!now.armed_resend?.resend_batch_id) throw new Error(`not yet: ${JSON.stringify(now)}`);
      return now;
    }, 30_000);
    expect(closed.closed_at).not.toBeNull();
    expect(await incidents('?open=true')).toEqual([]);

    const batch = await batchDone(closed.armed_resend!.resend_batch_id!);
    expect(batch).toMatchObject({ selected: 6, will_resend: 6, created_by_name: 'Administrator' });
    expect(batch.counts).toMatchObject({ success: 6, failed: 0 });

    // More looks by the detector (as after a restart, or on a new leader) make nothing new.
    await consoleServer.incidents.runOnce();
    await consoleServer.incidents.runOnce();
    expect((await incident(open!.id)).armed_resend?.resend_batch_id).toBe(batch.id);
    const batches = (await json(consoleServer, '/api/resend-batches')).body as { items: { id: string }[] };
    expect(batches.items.map((b) => b.id)).toEqual([batch.id]);
    expect(await incidents()).toHaveLength(1);

    // At Catena: each failed recipient was sent the text twice (the failure, the resend) and has it once.
    const perRecipient = await messagesPerRecipient(sim, text);
    expect(Object.fromEntries(perRecipient)).toEqual(Object.fromEntries(recipients.map(({ driver }) => [driver.id, { sent: 2, delivered: 1 }])));

    const audit = (await json(consoleServer, '/api/audit?action=incident_resend_armed')).body as { items: unknown[] };
    expect(audit.items).toHaveLength(1);
  });

  it('resends one per chain when some failures were resent by hand during the outage and failed again', async () => {
    const northwind = await fleetOf(consoleServer, 'Northwind Freight');
    await sim.control('POST', '/scenarios', { scenario: 'outage', tsp: 'samsara' });
    const text = `Scales closed at mile 88 ${randomUUID()}`;
    const drivers = northwind.drivers.slice(0, 4);
    for (const driver of drivers) await send(northwind.connection.id, northwind.dispatcher.id, driver.id, text);
    const [open] = await eventually(async () => {
      const found = await incidents('?open=true');
      if (found[0]?.failed_count !== drivers.length) throw new Error(`not yet: ${JSON.stringify(found)}`);
      return found;
    }, 30_000);
    expect((await post(consoleServer, `/api/incidents/${open!.id}/armed-resend`)).status).toBe(202);

    // Support resends two of them by hand while the TSP is still down: they fail again, into the same incident.
    const folded = operationPageSchema.parse((await json(consoleServer, `/api/operations?incident=${open!.id}&limit=50`)).body);
    const byHand = folded.items.slice(0, 2);
    for (const op of byHand) expect((await post(consoleServer, `/api/operations/${op.id}/resend`)).status).toBe(202);
    await eventually(async () => {
      const now = await incident(open!.id);
      if (now.failed_count !== drivers.length + byHand.length) throw new Error(`not yet: ${JSON.stringify(now)}`);
    }, 30_000);

    await sim.clearScenarios();
    for (const driver of northwind.drivers.slice(4, 6))
      await send(northwind.connection.id, northwind.dispatcher.id, driver.id, `Scales open ${randomUUID()}`);
    const closed = await eventually(async () => {
      const now = await incident(open!.id);
      if (!now.armed_resend?.resend_batch_id) throw new Error(`not yet: ${JSON.stringify(now)}`);
      return now;
    }, 30_000);
    const batch = await batchDone(closed.armed_resend!.resend_batch_id!);
    expect(batch).toMatchObject({ selected: 6, will_resend: 4, skipped: { same_chain: 2 } });
    expect(batch.counts).toMatchObject({ success: 4, failed: 0 });
    const handResent = new Set(byHand.map((op) => String(op.payload.recipient_id).toLowerCase()));
    const perRecipient = await messagesPerRecipient(sim, text);
    expect(Object.fromEntries(perRecipient)).toEqual(
      Object.fromEntries(drivers.map((driver) => [driver.id, { sent: handResent.has(driver.id) ? 3 : 2, delivered: 1 }])),
    );
  });

  it('answers a wrong incident id or query with a message to act on', async () => {
    const bad = await json(consoleServer, '/api/incidents?open=yes');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', message: expect.stringMatching(/open/) } } });
    expect(await json(consoleServer, '/api/incidents/not-an-id')).toMatchObject({ status: 400 });
    const missing = await post(consoleServer, `/api/incidents/${randomUUID()}/armed-resend`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'incident_not_found' } } });
  });
});

describe('a provider outage seen by two servers on one PostgreSQL store', () => {
  const database = freshPostgresDatabase();
  let ownSim: RunningSimulator;
  let first: RunningConsole;
  let second: RunningConsole;
  let firstStopped = false;
  beforeAll(async () => {
    ownSim = await startSimulator();
    await ownSim.clearScenarios();
    // Both reconcile (whoever leads), so events a server missed while it did not lead are read from Catena's list.
    const options = {
      catenaUrl: ownSim.url,
      databaseUrl: database.url,
      subscribe: true,
      dispatch: true,
      reconcile: true,
      reconcileIntervalMs: 1_000,
      leaseCheckMs: 200,
      incidentRules: FAST_RULES,
    };
    first = await startConsole(options);
    second = await startConsole(options);
  });
  afterAll(async () => {
    await second?.close();
    if (!firstStopped) await first?.close();
    await ownSim?.close();
  });

  it('opens one incident, and a new leader after the old one stopped makes its armed resend once', async () => {
    const northwind = await fleetOf(first, 'Northwind Freight');
    await ownSim.control('POST', '/scenarios', { scenario: 'outage', tsp: 'samsara' });
    const text = `Yard flooded, hold at gate ${randomUUID()}`;
    const drivers = northwind.drivers.slice(0, 4);
    for (const driver of drivers) await send(northwind.connection.id, northwind.dispatcher.id, driver.id, text, first);

    const [open] = await eventually(async () => {
      const found = await incidents('?open=true', second);
      if (found[0]?.failed_count !== drivers.length) throw new Error(`not yet: ${JSON.stringify(found)}`);
      return found;
    }, 30_000);
    expect(await incidents('', first)).toHaveLength(1);
    // Armed on both servers at once: armed once.
    const armedOn = await Promise.all([first, second].map((server) => post(server, `/api/incidents/${open!.id}/armed-resend`)));
    expect(armedOn.map((answer) => answer.status).sort()).toEqual([200, 202]);

    // The leader goes away; the other server takes the detector over, sees the recovery and resends.
    await first.close();
    firstStopped = true;
    await ownSim.clearScenarios();
    const fresh = `Gate open again ${randomUUID()}`;
    for (const driver of northwind.drivers.slice(4, 6)) await send(northwind.connection.id, northwind.dispatcher.id, driver.id, fresh, second);
    const closed = await eventually(async () => {
      const now = await incident(open!.id, second);
      if (!now.armed_resend?.resend_batch_id) throw new Error(`not yet: ${JSON.stringify(now)}`);
      return now;
    }, 30_000);
    const batch = await batchDone(closed.armed_resend!.resend_batch_id!, second);
    expect(batch.counts).toMatchObject({ success: drivers.length, failed: 0 });
    await second.incidents.runOnce();
    const batches = (await json(second, '/api/resend-batches')).body as { items: { id: string }[] };
    expect(batches.items.map((b) => b.id)).toEqual([batch.id]);
    const perRecipient = await messagesPerRecipient(ownSim, text);
    expect(Object.fromEntries(perRecipient)).toEqual(Object.fromEntries(drivers.map((driver) => [driver.id, { sent: 2, delivered: 1 }])));
  });
});
