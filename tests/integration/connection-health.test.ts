import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionListSchema, type Connection } from '../../contracts/directory-schemas.ts';
import { operationDetailSchema } from '../../contracts/operation-schemas.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { fleetOf } from '../support/fleet-directory.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';

let sim: RunningSimulator;
let consoleServer: RunningConsole;

beforeAll(async () => {
  // The simulator's seeded day: Coastal Carriers' writes have failed `auth` since its credentials expired.
  sim = await startSimulator({ seedHistory: true });
  consoleServer = await startConsole({ catenaUrl: sim.url, subscribe: true, reconcile: false });
  await consoleServer.subscribed;
  // The reconciler's first pass reads Catena's last 24 h into the store: the console's own history.
  const pass = await consoleServer.reconciler.runOnce();
  if (!pass.complete) throw new Error('the first reconcile pass did not read Catena to the end of its window');
}, 30_000);
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});

async function connectionNamed(name: string): Promise<Connection> {
  const { items } = connectionListSchema.parse((await json(consoleServer, '/api/connections')).body);
  const connection = items.find((candidate) => candidate.name === name);
  if (!connection) throw new Error(`no connection ${name} in ${items.map((c) => c.name).join(', ')}`);
  return connection;
}

/** Sends `count` messages through the fleet and waits until Catena has finished each (told by webhook). */
async function sendAndSettle(fleetName: string, count: number) {
  const fleet = await fleetOf(consoleServer, fleetName);
  const driver = fleet.drivers[0];
  if (!driver) throw new Error(`${fleetName} has no active driver`);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const sent = await post(consoleServer, '/api/messages', {
      connection_id: fleet.connection.id,
      sender_id: fleet.dispatcher.id,
      recipient_id: driver.id,
      message_text: `Health check ${randomUUID().slice(0, 8)}`,
    });
    expect(sent.status).toBe(202);
    ids.push(operationDetailSchema.parse(sent.body).id);
  }
  await eventually(async () => {
    for (const id of ids) {
      const op = operationDetailSchema.parse((await json(consoleServer, `/api/operations/${id}`)).body);
      if (op.status === 'pending') throw new Error(`${id} still pending after ${op.attempt_count} attempts`);
    }
  }, 20_000);
}

describe('connection health, from what the console stored of Catena', () => {
  it('Coastal Carriers reads as needing re-authorisation, since its first failed write of the run', async () => {
    const coastal = await connectionNamed('Coastal Carriers');
    expect(coastal.status).toBe('active');
    expect(coastal.health).toMatchObject({ state: 'failing', reason: expect.stringMatching(/^Needs re-authorisation by the fleet/) });
    expect(coastal.health.failed_in_a_row).toBeGreaterThanOrEqual(3);
    const since = Date.parse(coastal.health.since ?? '');
    expect(Date.now() - since).toBeGreaterThan(60 * 60_000);

    expect((await connectionNamed('Northwind Freight')).health).toMatchObject({ state: 'healthy', reason: null, since: null });
    expect((await connectionNamed('Summit Transport')).health).toMatchObject({ state: 'paused', reason: expect.stringMatching(/paused/) });
  });

  it('reads a connection as degraded while its network drops attempts, and healthy once writes go straight through again', async () => {
    const northwind = await connectionNamed('Northwind Freight');
    const flaky = (await sim.scenario('flaky_network', northwind.id)) as { id: string };
    try {
      await sendAndSettle('Northwind Freight', 3);
      const degraded = await eventually(async () => {
        const { health } = await connectionNamed('Northwind Freight');
        if (health.state !== 'degraded') throw new Error(`Northwind Freight reads ${health.state}`);
        return health;
      });
      expect(degraded.reason).toMatch(/network or TSP errors/);
      expect(degraded.recent.failed_attempts).toBeGreaterThanOrEqual(6);
      expect(degraded.since).not.toBeNull();
    } finally {
      await sim.control('DELETE', `/scenarios/${flaky.id}`);
    }

    await sendAndSettle('Northwind Freight', 3);
    await eventually(async () => {
      const { health } = await connectionNamed('Northwind Freight');
      if (health.state !== 'healthy') throw new Error(`Northwind Freight still reads ${health.state}`);
    });
  }, 60_000);
});
