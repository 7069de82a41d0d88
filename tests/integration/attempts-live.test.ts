import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { broadcastDetailSchema } from '../../contracts/broadcast-schemas.ts';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { startCountingProxy } from '../support/counting-proxy.ts';
import { fleetOf } from '../support/fleet-directory.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { freshPostgresDatabase } from '../support/test-databases.ts';

/**
 * Catena's webhooks tell of an operation's creation and its end, never of the attempts between;
 * the console reads a pending operation again while somebody watches it. The reconciler is off
 * throughout, so every attempt seen here came from those reads.
 */
let sim: RunningSimulator;
let proxy: Awaited<ReturnType<typeof startCountingProxy>>;

beforeAll(async () => {
  // Real time: the simulator's retries 1 s and 2 s apart, slow enough to watch.
  sim = await startSimulator({ timeScale: 1 });
  proxy = await startCountingProxy(sim.url);
});
afterAll(async () => {
  await proxy?.close();
  await sim?.close();
});
afterEach(async () => {
  await sim.clearScenarios();
});

/** Catena get-one reads of these operations that went through the proxy. */
function readsOf(ids: readonly string[]): number {
  return proxy.requests().filter((r) => r.method === 'GET' && ids.some((id) => r.path.endsWith(`/resource-operations/${id}`))).length;
}

async function sendOne(consoleServer: RunningConsole, fleet: string) {
  const { connection, dispatcher, drivers } = await fleetOf(consoleServer, fleet);
  const response = await post(consoleServer, '/api/messages', {
    connection_id: connection.id,
    sender_id: dispatcher.id,
    recipient_id: drivers[0]!.id,
    message_text: `Dock change ${randomUUID().slice(0, 8)}`,
  });
  expect(response.status).toBe(202);
  return { connection, operation: operationDetailSchema.parse(response.body) };
}

async function detail(consoleServer: Pick<RunningConsole, 'fetch'>, id: string): Promise<OperationDetail> {
  return operationDetailSchema.parse((await json(consoleServer, `/api/operations/${id}`)).body);
}

describe('a pending operation somebody watches', () => {
  let consoleServer: RunningConsole;
  beforeAll(async () => {
    consoleServer = await startConsole({ catenaUrl: proxy.url, subscribe: true, reconcile: false, dispatch: true, liveRefreshMs: 500 });
    await consoleServer.subscribed;
  });
  afterAll(async () => consoleServer?.close());

  it('shows its failed attempts as Catena logs them, before it succeeds', async () => {
    const { connection } = await fleetOf(consoleServer, 'Blue Ridge Logistics');
    await sim.scenario('flaky_network', connection.id);
    const { operation } = await sendOne(consoleServer, 'Blue Ridge Logistics');

    // The drawer's poll, as a person with the drawer open makes it.
    const seen: OperationDetail[] = [];
    const final = await eventually(
      async () => {
        const now = await detail(consoleServer, operation.id);
        seen.push(now);
        if (now.status === 'pending') throw new Error('still pending');
        return now;
      },
      20_000,
      250,
    );

    expect(final.status).toBe('success');
    const failedWhilePending = seen.filter((d) => d.status === 'pending').map((d) => d.logs.filter((log) => log.status === 'failed').length);
    // Both failed attempts were on screen while it was still pending, one after the other.
    expect(Math.max(...failedWhilePending)).toBe(2);
    expect(failedWhilePending).toContain(1);
    expect(final.attempts_expected).toBe(5);
  });

  it('is read no more once it is final, nor once nobody asks for it', async () => {
    const { operation } = await sendOne(consoleServer, 'Northwind Freight');
    await eventually(async () => expect((await detail(consoleServer, operation.id)).status).toBe('success'), 10_000, 250);
    const readsWhenFinal = readsOf([operation.id]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(readsOf([operation.id])).toBe(readsWhenFinal);

    const { connection } = await fleetOf(consoleServer, 'Prairie Haulers');
    await sim.scenario('outage', connection.id);
    const { operation: failing } = await sendOne(consoleServer, 'Prairie Haulers');
    await detail(consoleServer, failing.id);
    // Watched for 10 s after the last look, read every 500 ms at most: then no more while still pending.
    await eventually(async () => expect(consoleServer.watched.watched).toBe(0), 15_000, 250);
    const readsWhenForgotten = readsOf([failing.id]);
    expect(readsWhenForgotten).toBeGreaterThan(0);
    expect(readsWhenForgotten).toBeLessThanOrEqual(10_000 / 500 + 2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(readsOf([failing.id])).toBe(readsWhenForgotten);
  });

  it('a broadcast page keeps its pending recipients fresh the same way', async () => {
    const { connection, dispatcher } = await fleetOf(consoleServer, 'Northwind Freight');
    await sim.scenario('flaky_network', connection.id);
    const created = await post(consoleServer, '/api/broadcasts', {
      connection_id: connection.id,
      sender_id: dispatcher.id,
      all_drivers: true,
      message_text: `Yard closed ${randomUUID()}`,
    });
    expect(created.status).toBe(202);
    const { id } = broadcastDetailSchema.parse(created.body);
    const retriedWhilePending = await eventually(
      async () => {
        const page = broadcastDetailSchema.parse((await json(consoleServer, `/api/broadcasts/${id}`)).body);
        const retrying = page.recipients.filter((r) => r.status === 'pending' && r.attempt_count > 0);
        if (retrying.length === 0) throw new Error('no recipient shows an attempt while pending yet');
        return retrying;
      },
      20_000,
      250,
    );
    expect(retriedWhilePending[0]?.last_error_type).toBe('network');
  });
});

describe('upstream reads', () => {
  const database = freshPostgresDatabase();
  it('fifty viewers of one pending operation cost no more reads than one, and two servers no more than one', async () => {
    const databaseUrl = database.url;
    const servers = await Promise.all(
      [0, 1].map(() => startConsole({ catenaUrl: proxy.url, subscribe: false, reconcile: false, databaseUrl, liveRefreshMs: 200 })),
    );
    try {
      // The timers stop; each round below is one tick of every server, after every viewer has looked.
      for (const server of servers) await server.watched.stop();
      const [a, b] = servers as [RunningConsole, RunningConsole];
      const { connection } = await fleetOf(a, 'Prairie Haulers');
      await sim.scenario('outage', connection.id);
      const one = (await sendOne(a, 'Prairie Haulers')).operation;
      const many = (await sendOne(a, 'Prairie Haulers')).operation;
      // Fifty browsers polling at once, half behind each server (a watch does not depend on who asks).
      const viewers = [...Array.from({ length: 25 }, () => a), ...Array.from({ length: 25 }, () => b)];

      const readsPerRound: { one: number; many: number }[] = [];
      for (let round = 0; round < 3; round += 1) {
        const before = { one: readsOf([one.id]), many: readsOf([many.id]) };
        await detail(a, one.id);
        await Promise.all(viewers.map((viewer) => detail(viewer, many.id)));
        await Promise.all(servers.map((server) => server.watched.tick()));
        readsPerRound.push({ one: readsOf([one.id]) - before.one, many: readsOf([many.id]) - before.many });
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(readsPerRound).toEqual([
        { one: 1, many: 1 },
        { one: 1, many: 1 },
        { one: 1, many: 1 },
      ]);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });
});
