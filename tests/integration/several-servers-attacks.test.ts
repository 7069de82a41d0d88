import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { broadcastDetailSchema, type BroadcastDetail } from '../../contracts/broadcast-schemas.ts';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import { resendBatchDetailSchema, type ResendBatchDetail } from '../../contracts/resend-batch-schemas.ts';
import { sendInDoubtDetailsSchema, sendStatusSchema } from '../../contracts/send-schemas.ts';
import { DEFAULT_SIGN_IN_LIMITS } from '../../server/access/sign-in-limiter.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, TEST_ADMIN, type RunningConsole, type SignedIn } from '../support/console-server.ts';
import { startDelayingProxy } from '../support/delaying-proxy.ts';
import { createTestDatabase } from '../support/postgres-server.ts';
import { eventually, messagesPerRecipient, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { freshPostgresDatabase, postgresTestUrl } from '../support/test-databases.ts';
import { startWriteTallyProxy } from '../support/write-tally-proxy.ts';
import { fleetOf } from '../support/fleet-directory.ts';

/**
 * Two console servers on one PostgreSQL store act as one (architecture.md "Several servers",
 * decisions 0020 and 0041): whatever a browser does on one, or on both at the same moment, the
 * exactly-once promises hold as if there were a single server. Each server here is a real console
 * (in this process) on its own loopback port, signed in over HTTP; the simulator counts what
 * Catena really got.
 */

type Api = Pick<SignedIn, 'fetch'>;
type ConsoleOptions = Parameters<typeof startConsole>[0];

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
});
afterEach(async () => {
  await sim.clearScenarios();
});

/** What both servers share: one store, a reconciler and a dispatcher each (only the leader's reconciler runs), quick lease checks. */
const shared = {
  subscribe: true,
  reconcile: true,
  dispatch: true,
  reconcileIntervalMs: 1_000,
  leaseCheckMs: 250,
  sendTimeoutMs: 800,
  landingWindowMs: 2_500,
} satisfies Partial<ConsoleOptions>;

type Pair = { a: RunningConsole; b: RunningConsole; close(): Promise<void> };

/** Server A, then server B, on one store (one after the other: the first one bootstraps the admin). A leads: it asked first. */
async function startPair(databaseUrl: string, a: Partial<ConsoleOptions> = {}, b: Partial<ConsoleOptions> = {}): Promise<Pair> {
  const started: RunningConsole[] = [];
  const closed = new Set<RunningConsole>();
  const close = async () => {
    for (const server of started) {
      if (closed.has(server)) continue;
      closed.add(server);
      await server.close();
    }
  };
  try {
    started.push(await startConsole({ catenaUrl: sim.url, ...shared, ...a, databaseUrl }));
    started.push(await startConsole({ catenaUrl: sim.url, ...shared, ...b, databaseUrl }));
  } catch (error) {
    await close();
    throw error;
  }
  const [first, second] = started as [RunningConsole, RunningConsole];
  // close() of one server (a test stopping it) is remembered, so the pair's close skips it.
  const closeOne = (server: RunningConsole): RunningConsole => ({
    ...server,
    async close() {
      if (closed.has(server)) return;
      closed.add(server);
      await server.close();
    },
  });
  return { a: closeOne(first), b: closeOne(second), close };
}

async function leaderOf(databaseUrl: string): Promise<string | null> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ holder: string }>(
      `SELECT holder FROM leases WHERE name = 'leader' AND expires_at >= to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    );
    return rows[0]?.holder ?? null;
  } finally {
    await client.end();
  }
}

async function finalOperation(api: Api, id: string): Promise<OperationDetail> {
  return eventually(
    async () => {
      const op = operationDetailSchema.parse((await json(api, `/api/operations/${id}`)).body);
      if (op.status === 'pending') throw new Error(`${id} still pending`);
      return op;
    },
    20_000,
    100,
  );
}

async function settledBroadcast(api: Api, id: string): Promise<BroadcastDetail> {
  return eventually(
    async () => {
      const b = broadcastDetailSchema.parse((await json(api, `/api/broadcasts/${id}`)).body);
      if (b.counts.queued + b.counts.pending > 0) throw new Error(`still going: ${JSON.stringify(b.counts)}`);
      return b;
    },
    30_000,
    200,
  );
}

async function batchOf(api: Api, id: string): Promise<ResendBatchDetail> {
  return resendBatchDetailSchema.parse((await json(api, `/api/resend-batches/${id}`)).body);
}

async function finishedBatch(api: Api, id: string): Promise<ResendBatchDetail> {
  return eventually(
    async () => {
      const batch = await batchOf(api, id);
      if (!batch.finished || batch.counts.pending > 0) throw new Error(`still going: ${JSON.stringify(batch.counts)}`);
      return batch;
    },
    30_000,
    200,
  );
}

/** `count` messages to drivers of `connectionName` that failed at Catena (expired credentials), as the console's store knows them. */
async function failedMessages(api: Api, connectionName: string, count: number, text: string) {
  const { connection, dispatcher, drivers } = await fleetOf(api, connectionName);
  await sim.scenario('expired_credentials', connection.id);
  const ids: string[] = [];
  for (const driver of drivers.slice(0, count)) {
    const sent = await post(api, '/api/messages', {
      connection_id: connection.id,
      sender_id: dispatcher.id,
      recipient_id: driver.id,
      message_text: text,
    });
    expect(sent.status).toBe(202);
    ids.push(operationDetailSchema.parse(sent.body).id);
  }
  for (const id of ids) expect((await finalOperation(api, id)).status).toBe('failed');
  await sim.clearScenarios();
  return { connection, dispatcher, drivers: drivers.slice(0, count), ids };
}

const codeOf = (body: unknown) => (body as { error?: { code?: string } }).error?.code;
/** An answer in a word: "202", or the status and error code ("409 resend_in_progress"). */
const outcomeOf = (answer: { status: number; body: unknown }) => (answer.status === 202 ? '202' : `${answer.status} ${codeOf(answer.body) ?? ''}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tally = (values: readonly (string | number)[]) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

describe('one Idempotency-Key, one resend: whichever server is asked, at the same moment', () => {
  const database = freshPostgresDatabase();
  let pair: Pair;
  let catenaOfA: Awaited<ReturnType<typeof startWriteTallyProxy>>;
  let catenaOfB: Awaited<ReturnType<typeof startWriteTallyProxy>>;
  beforeAll(async () => {
    catenaOfA = await startWriteTallyProxy(sim.url);
    catenaOfB = await startWriteTallyProxy(sim.url);
    pair = await startPair(database.url, { catenaUrl: catenaOfA.url }, { catenaUrl: catenaOfB.url });
    await pair.a.subscribed;
  });
  afterEach(() => {
    catenaOfA.delayWrites(0);
    catenaOfB.delayWrites(0);
  });
  afterAll(async () => {
    await pair?.close();
    await catenaOfA?.close();
    await catenaOfB?.close();
  });

  it('a message posted with one key to both servers at once reaches the driver once, and every answer names the one operation', async () => {
    const { a, b } = pair;
    const { connection, dispatcher, drivers } = await fleetOf(a, 'Blue Ridge Logistics');
    await fleetOf(b, 'Blue Ridge Logistics');
    for (const [round, driver] of drivers.slice(0, 4).entries()) {
      const text = `Same key on both servers ${round} ${randomUUID()}`;
      const body = { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: driver.id, message_text: text };
      const key = randomUUID();
      const servers = [a, b, a, b, a, b];
      const answers = await Promise.all(servers.map((server) => post(server, '/api/messages', body, key)));

      // Every answer is the operation, or a 409 that says the key's first request is not answered yet.
      for (const answer of answers) {
        expect(['202', '409 request_in_progress', '409 send_in_doubt']).toContain(outcomeOf(answer));
      }
      const sent = answers.filter((answer) => answer.status === 202);
      expect(sent.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
      const ids = new Set(sent.map((answer) => operationDetailSchema.parse(answer.body).id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];

      // Asked again, on either server, the key answers with that same operation.
      for (const server of [a, b]) {
        const again = await post(server, '/api/messages', body, key);
        expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), id: operationDetailSchema.parse(again.body).id }).toEqual({
          status: 202,
          replayed: 'true',
          id,
        });
      }
      await sleep(300);
      expect((await messagesPerRecipient(sim, text)).get(driver.id.toLowerCase())?.sent).toBe(1);
      expect(catenaOfA.acceptedWith(text) + catenaOfB.acceptedWith(text)).toBe(1);
    }
  });

  it('a request that overlaps the same key\'s first request, still within its deadline, is told "in progress", not "in doubt"', async () => {
    const { a, b } = pair;
    const { connection, dispatcher, drivers } = await fleetOf(a, 'Blue Ridge Logistics');
    await fleetOf(b, 'Blue Ridge Logistics');
    const driver = drivers[5]!;
    const text = `Double click over two servers ${randomUUID()}`;
    const body = { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: driver.id, message_text: text };
    const key = randomUUID();
    // Catena takes 400 ms to answer A: well within A's 800 ms deadline, so nothing is in doubt.
    catenaOfA.delayWrites(400);
    const first = post(a, '/api/messages', body, key);
    await sleep(150);
    const overlapping = await post(b, '/api/messages', body, key);
    const answered = await first;
    expect(answered.status).toBe(202);
    const { id } = operationDetailSchema.parse(answered.body);
    // The second browser tab is told to wait (or gets the operation), not that Catena failed to answer in time.
    expect({
      status: overlapping.status,
      code: codeOf(overlapping.body) ?? null,
      id: overlapping.status === 202 ? operationDetailSchema.parse(overlapping.body).id : null,
    }).toSatisfy(
      (seen: { status: number; code: string | null; id: string | null }) =>
        (seen.status === 409 && seen.code === 'request_in_progress') || (seen.status === 202 && seen.id === id),
    );
    const again = await post(b, '/api/messages', body, key);
    expect({ status: again.status, id: operationDetailSchema.parse(again.body).id }).toEqual({ status: 202, id });
    await sleep(300);
    expect((await messagesPerRecipient(sim, text)).get(driver.id.toLowerCase())?.sent).toBe(1);
  });

  it('ten resends of one failed message, spread over both servers at once with different keys, make one resend', async () => {
    const { a, b } = pair;
    const text = `Resend race ${randomUUID()}`;
    const {
      ids: [failedId],
      drivers: [driver],
    } = await failedMessages(a, 'Coastal Carriers', 1, text);

    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 === 0 ? a : b, `/api/operations/${failedId}/resend`)));
    expect(tally(answers.map((answer) => answer.status))).toEqual({ 202: 1, 409: 9 });
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(['already_resent', 'resend_in_progress']).toContain(codeOf(refused.body));
    }
    const resend = operationDetailSchema.parse(answers.find((answer) => answer.status === 202)!.body);
    expect(resend.resend_of).toBe(failedId);

    await eventually(
      async () => expect((await messagesPerRecipient(sim, text)).get(driver!.id.toLowerCase())).toEqual({ sent: 2, delivered: 1 }),
      15_000,
      200,
    );
    // Either server's drawer now says it was resent, and neither resends it again.
    for (const server of [a, b]) {
      const drawer = operationDetailSchema.parse((await json(server, `/api/operations/${failedId}`)).body);
      expect(drawer.resend).toMatchObject({ verdict: 'already_resent', newer_operation_id: resend.id });
      expect(codeOf((await post(server, `/api/operations/${failedId}/resend`)).body)).toBe('already_resent');
    }
    await sleep(300);
    expect((await messagesPerRecipient(sim, text)).get(driver!.id.toLowerCase())?.sent).toBe(2);
  });

  it('drawer resends on one server racing a bulk resend of the same operations on the other resend each message once', async () => {
    const { a, b } = pair;
    const text = `Drawer against bulk ${randomUUID()}`;
    const { ids, drivers } = await failedMessages(a, 'Northwind Freight', 5, text);

    const [bulk, ...drawer] = await Promise.all([
      post(b, '/api/resend-batches', { operation_ids: ids }),
      ...ids.map((id) => post(a, `/api/operations/${id}/resend`)),
    ]);
    for (const answer of drawer) {
      expect(['202', '409 resend_in_progress']).toContain(outcomeOf(answer));
    }
    expect(['202', '409 nothing_to_resend']).toContain(outcomeOf(bulk));
    const batch = bulk.status === 202 ? resendBatchDetailSchema.parse(bulk.body) : null;
    const resentFromTheDrawer = drawer.filter((answer) => answer.status === 202).length;
    // Each failed message went to exactly one of the two: the drawer, or the batch.
    expect(resentFromTheDrawer + (batch?.will_resend ?? 0)).toBe(ids.length);
    expect(batch?.skipped.already_resent ?? resentFromTheDrawer).toBe(resentFromTheDrawer);

    const succeeded = batch ? (await finishedBatch(a, batch.id)).counts.success : 0;
    expect(succeeded).toBe(batch?.will_resend ?? 0);
    await eventually(
      async () => {
        const perDriver = await messagesPerRecipient(sim, text);
        expect(drivers.map((d) => perDriver.get(d.id.toLowerCase()))).toEqual(drivers.map(() => ({ sent: 2, delivered: 1 })));
      },
      20_000,
      200,
    );
    // Nothing is left to resend, on either server.
    for (const server of [a, b]) expect(codeOf((await post(server, '/api/resend-batches', { operation_ids: ids })).body)).toBe('nothing_to_resend');
  });

  it('two bulk resends of the same operations, one on each server at once, resend each message once', async () => {
    const { a, b } = pair;
    const text = `Bulk against bulk ${randomUUID()}`;
    const { ids, drivers } = await failedMessages(a, 'Prairie Haulers', 4, text);

    const answers = await Promise.all([
      post(a, '/api/resend-batches', { operation_ids: ids }),
      post(b, '/api/resend-batches', { operation_ids: ids }),
    ]);
    for (const answer of answers) {
      expect(['202', '409 nothing_to_resend']).toContain(outcomeOf(answer));
    }
    const batches = answers.filter((answer) => answer.status === 202).map((answer) => resendBatchDetailSchema.parse(answer.body));
    expect(batches.reduce((n, batch) => n + batch.will_resend, 0)).toBe(ids.length);
    for (const batch of batches) await finishedBatch(b, batch.id);
    await eventually(
      async () => {
        const perDriver = await messagesPerRecipient(sim, text);
        expect(drivers.map((d) => perDriver.get(d.id.toLowerCase()))).toEqual(drivers.map(() => ({ sent: 2, delivered: 1 })));
      },
      20_000,
      200,
    );
  });
});

describe('a broadcast created with one key on both servers at once, sent by both dispatchers', () => {
  const database = freshPostgresDatabase();
  let pair: Pair;
  let catenaOfA: Awaited<ReturnType<typeof startWriteTallyProxy>>;
  let catenaOfB: Awaited<ReturnType<typeof startWriteTallyProxy>>;
  beforeAll(async () => {
    catenaOfA = await startWriteTallyProxy(sim.url);
    catenaOfB = await startWriteTallyProxy(sim.url);
    pair = await startPair(database.url, { catenaUrl: catenaOfA.url }, { catenaUrl: catenaOfB.url });
    await pair.a.subscribed;
  });
  afterAll(async () => {
    await pair?.close();
    await catenaOfA?.close();
    await catenaOfB?.close();
  });

  it('is one broadcast, and each driver gets it once', async () => {
    const { a, b } = pair;
    const { connection, dispatcher, drivers } = await fleetOf(a, 'Northwind Freight');
    await fleetOf(b, 'Northwind Freight');
    // Each write takes a while, so both servers' dispatchers are busy with the one broadcast at once.
    catenaOfA.delayWrites(150);
    catenaOfB.delayWrites(150);
    const text = `One broadcast, two servers ${randomUUID()}`;
    const body = { connection_id: connection.id, sender_id: dispatcher.id, all_drivers: true, message_text: text };
    const key = randomUUID();
    const answers = await Promise.all([a, b, a, b, a, b].map((server) => post(server, '/api/broadcasts', body, key)));
    for (const answer of answers) {
      expect(['202', '409 request_in_progress']).toContain(outcomeOf(answer));
    }
    const created = answers.filter((answer) => answer.status === 202);
    expect(created.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const ids = new Set(created.map((answer) => broadcastDetailSchema.parse(answer.body).id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    for (const server of [a, b]) {
      const again = await post(server, '/api/broadcasts', body, key);
      expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), id: broadcastDetailSchema.parse(again.body).id }).toEqual({
        status: 202,
        replayed: 'true',
        id,
      });
    }
    const listed = (await json(b, '/api/broadcasts')).body as { items: { id: string; message_text: string }[] };
    expect(listed.items.filter((item) => item.message_text === text).map((item) => item.id)).toEqual([id]);

    const done = await settledBroadcast(b, id);
    expect(done.recipient_count).toBe(drivers.length);
    expect(done.counts).toMatchObject({ queued: 0, pending: 0, success: drivers.length });
    await sleep(300);
    const perDriver = await messagesPerRecipient(sim, text);
    expect([...perDriver.keys()].sort()).toEqual(drivers.map((d) => d.id.toLowerCase()).sort());
    expect([...perDriver.values()].filter((count) => count.sent !== 1)).toEqual([]);
    // Both dispatchers sent some of it, and together they sent each recipient once.
    const byServer = { a: catenaOfA.acceptedWith(text), b: catenaOfB.acceptedWith(text) };
    expect(byServer.a + byServer.b).toBe(drivers.length);
    // Both dispatchers took part.
    expect(Math.min(byServer.a, byServer.b)).toBeGreaterThan(0);
  });
});

describe('a send in doubt on a server that then stops, retried on the other', () => {
  /** A fresh store per test, so the server that sends is the leader when it stops. */
  async function inDoubtSetup() {
    const database = await createTestDatabase(postgresTestUrl());
    const proxy = await startDelayingProxy(sim.url);
    let pair: Pair | undefined;
    try {
      // Only A talks to Catena through the proxy that loses its answers.
      pair = await startPair(database.url, { catenaUrl: proxy.url }, {});
      expect(await leaderOf(database.url)).toBe(pair.a.serverId);
    } catch (error) {
      await pair?.close();
      await proxy.close();
      await database.drop();
      throw error;
    }
    const { a, b } = pair;
    const { connection, dispatcher, drivers } = await fleetOf(a, 'Blue Ridge Logistics');
    return {
      a,
      b,
      proxy,
      database,
      connection,
      dispatcher,
      drivers,
      async close() {
        await pair.close();
        await proxy.close();
        await database.drop();
      },
    };
  }

  it('created by Catena after A gave up: B answers send_in_doubt until it settled it, then the one operation; the driver got it once', async () => {
    const setup = await inDoubtSetup();
    try {
      const { a, b, proxy, connection, dispatcher, drivers } = setup;
      const driver = drivers[0]!;
      const text = `In doubt on A ${randomUUID()}`;
      const body = { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: driver.id, message_text: text };
      const key = randomUUID();

      // The request reaches Catena only after A's deadline (800 ms): A never hears the answer.
      proxy.hold(1_500);
      const first = await post(a, '/api/messages', body, key);
      expect(first).toMatchObject({ status: 504, body: { error: { code: 'send_in_doubt' } } });
      const { send_id: sendId, settles_at: settlesAt } = sendInDoubtDetailsSchema.parse(
        (first.body as { error: { details: unknown } }).error.details,
      );
      await a.close();

      const seen: string[] = [];
      const settled = await eventually(
        async () => {
          const retry = await post(b, '/api/messages', body, key);
          seen.push(`${retry.status} ${codeOf(retry.body) ?? ''}`.trim());
          if (retry.status === 409 && codeOf(retry.body) === 'send_in_doubt') throw new Error('still in doubt');
          return { ...retry, at: Date.now() };
        },
        20_000,
        200,
      );
      // Until it was settled, B said so and sent nothing; then it answered with the one operation.
      expect(seen[0]).toBe('409 send_in_doubt');
      expect(seen.slice(0, -1).filter((answer) => answer !== '409 send_in_doubt')).toEqual([]);
      expect(settled.status).toBe(202);
      expect(settled.headers.get('idempotent-replayed')).toBe('true');
      expect(settled.at).toBeGreaterThanOrEqual(Date.parse(settlesAt));
      const operation = operationDetailSchema.parse(settled.body);
      expect(await leaderOf(setup.database.url)).toBe(b.serverId);
      expect(sendStatusSchema.parse((await json(b, `/api/sends/${sendId}`)).body)).toMatchObject({ state: 'sent', operation_id: operation.id });

      await sleep(500);
      expect((await messagesPerRecipient(sim, text)).get(driver.id.toLowerCase())?.sent).toBe(1);
      const again = await post(b, '/api/messages', body, key);
      expect(operationDetailSchema.parse(again.body).id).toBe(operation.id);
    } finally {
      await setup.close();
    }
  });

  it('never received by Catena: B answers send_in_doubt until it settled it as not sent, then sends it, once', async () => {
    const setup = await inDoubtSetup();
    try {
      const { a, b, proxy, connection, dispatcher, drivers } = setup;
      const driver = drivers[1]!;
      const text = `Lost on A ${randomUUID()}`;
      const body = { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: driver.id, message_text: text };
      const key = randomUUID();

      proxy.dropWrites();
      const first = await post(a, '/api/messages', body, key);
      expect(first).toMatchObject({ status: 504, body: { error: { code: 'send_in_doubt' } } });
      const { send_id: sendId } = sendInDoubtDetailsSchema.parse((first.body as { error: { details: unknown } }).error.details);
      await a.close();

      const seen: string[] = [];
      const sent = await eventually(
        async () => {
          const retry = await post(b, '/api/messages', body, key);
          seen.push(`${retry.status} ${codeOf(retry.body) ?? ''}`.trim());
          if (retry.status === 409 && codeOf(retry.body) === 'send_in_doubt') throw new Error('still in doubt');
          return retry;
        },
        20_000,
        200,
      );
      expect(seen[0]).toBe('409 send_in_doubt');
      expect(seen.slice(0, -1).filter((answer) => answer !== '409 send_in_doubt')).toEqual([]);
      expect(sent.status).toBe(202);
      expect(sent.headers.get('idempotent-replayed')).toBeNull();
      const operation = operationDetailSchema.parse(sent.body);
      expect(sendStatusSchema.parse((await json(b, `/api/sends/${sendId}`)).body).state).toBe('not_sent');

      await eventually(async () => expect((await messagesPerRecipient(sim, text)).get(driver.id.toLowerCase())?.sent).toBe(1), 5_000, 200);
      const again = await post(b, '/api/messages', body, key);
      expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), id: operationDetailSchema.parse(again.body).id }).toEqual({
        status: 202,
        replayed: 'true',
        id: operation.id,
      });
      await sleep(500);
      expect((await messagesPerRecipient(sim, text)).get(driver.id.toLowerCase())?.sent).toBe(1);
    } finally {
      await setup.close();
    }
  });
});

describe('a resend in doubt on a server that then stops', () => {
  it('holds its chain on the other server, against the drawer and bulk resend alike, until it is settled: one resend', async () => {
    const database = await createTestDatabase(postgresTestUrl());
    const proxy = await startDelayingProxy(sim.url);
    const pair = await startPair(database.url, { catenaUrl: proxy.url }, {});
    try {
      const { a, b } = pair;
      await a.subscribed;
      expect(await leaderOf(database.url)).toBe(a.serverId);
      const text = `Resend in doubt on A ${randomUUID()}`;
      const {
        ids: [failedId],
        drivers: [driver],
      } = await failedMessages(a, 'Coastal Carriers', 1, text);

      proxy.hold(1_500);
      const first = await post(a, `/api/operations/${failedId}/resend`);
      expect(first).toMatchObject({ status: 504, body: { error: { code: 'send_in_doubt' } } });
      const { send_id: sendId } = sendInDoubtDetailsSchema.parse((first.body as { error: { details: unknown } }).error.details);
      await a.close();

      // While it is in doubt, B refuses another resend of the chain, whoever asks and how.
      expect(codeOf((await post(b, `/api/operations/${failedId}/resend`)).body)).toBe('resend_in_progress');
      const bulk = await post(b, '/api/resend-batches', { operation_ids: [failedId] });
      expect({ status: bulk.status, code: codeOf(bulk.body) }).toEqual({ status: 409, code: 'nothing_to_resend' });
      expect(operationDetailSchema.parse((await json(b, `/api/operations/${failedId}`)).body).resend?.verdict).toBe('resend_in_progress');

      const settled = await eventually(
        async () => {
          const status = sendStatusSchema.parse((await json(b, `/api/sends/${sendId}`)).body);
          if (status.state === 'in_doubt') throw new Error('still in doubt');
          return status;
        },
        20_000,
        200,
      );
      expect(settled.state).toBe('sent');
      const drawer = operationDetailSchema.parse((await json(b, `/api/operations/${failedId}`)).body);
      expect(drawer.resend).toMatchObject({ verdict: 'already_resent', newer_operation_id: settled.operation_id });
      expect(codeOf((await post(b, `/api/operations/${failedId}/resend`)).body)).toBe('already_resent');
      await sleep(500);
      expect((await messagesPerRecipient(sim, text)).get(driver!.id.toLowerCase())?.sent).toBe(2);
    } finally {
      await pair.close();
      await proxy.close();
      await database.drop();
    }
  });
});

describe('sign-in limits over two servers', () => {
  const database = freshPostgresDatabase();
  let pair: Pair;
  beforeAll(async () => {
    // Nothing here talks to Catena; the servers take the client address from X-Forwarded-For.
    const quiet = { subscribe: false, reconcile: false, dispatch: false, trustProxy: true };
    pair = await startPair(database.url, quiet, quiet);
  });
  afterAll(async () => {
    await pair?.close();
  });

  const attempt = (server: RunningConsole, from: string, email: string, password: string) =>
    fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ email, password }),
    });

  it('counts guesses for one account from one address on either server against one budget: the sixth fails on whichever server', async () => {
    const { a, b } = pair;
    const limit = DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress;
    const from = '203.0.113.61';
    const statuses: string[] = [];
    for (let i = 0; i < limit; i += 1)
      statuses.push(`${i % 2 === 0 ? 'A' : 'B'} ${(await attempt(i % 2 === 0 ? a : b, from, TEST_ADMIN.email, `wrong-${i}`)).status}`);
    expect(statuses).toEqual(['A 401', 'B 401', 'A 401', 'B 401', 'A 401']);

    // Even the right password is not checked any more from there, on either server.
    for (const [name, server] of [
      ['B', b],
      ['A', a],
    ] as const) {
      const next = await attempt(server, from, TEST_ADMIN.email, TEST_ADMIN.password);
      expect({ server: name, status: next.status }).toEqual({ server: name, status: 429 });
      expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await next.json()) as { error: { details: { scope: string } } }).error.details.scope).toBe('account_and_address');
    }
    // The owner, from elsewhere, is not locked out.
    expect((await attempt(b, '198.51.100.61', TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(200);
  });

  it('checks at most five passwords of a burst of 40 parallel guesses spread over both servers', async () => {
    const { a, b } = pair;
    const email = `someone-${randomUUID()}@console.test`;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(i % 2 === 0 ? a : b, '203.0.113.62', email, `burst-${i}`)));
    const counts = tally(answers.map((answer) => answer.status));
    expect(counts[401]).toBe(DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress);
    expect(counts[429]).toBe(40 - DEFAULT_SIGN_IN_LIMITS.perAccountAndAddress);
  });

  it("lets the owner in on B with the device cookie A gave, once guesses from everywhere spent the account's budget", async () => {
    const { a, b } = pair;
    const earlier = await attempt(a, '198.51.100.70', TEST_ADMIN.email, TEST_ADMIN.password);
    expect(earlier.status).toBe(200);
    const device = earlier.headers
      .getSetCookie()
      .find((line) => line.startsWith('fleetops_device='))
      ?.split(';')[0];
    expect(device).toBeDefined();

    // Guesses from many addresses, each under its own limits, spread over both servers, until the account's budget is spent.
    let spentAfter = 0;
    let heldBy: string | null = null;
    for (let i = 0; i <= DEFAULT_SIGN_IN_LIMITS.perAccount; i += 1) {
      const guess = await attempt(i % 2 === 0 ? b : a, `192.0.2.${i + 1}`, TEST_ADMIN.email, `spread-${i}`);
      if (guess.status === 429) {
        heldBy = ((await guess.json()) as { error: { details: { scope: string } } }).error.details.scope;
        break;
      }
      expect(guess.status).toBe(401);
      spentAfter += 1;
    }
    expect(heldBy).toBe('account');
    expect(spentAfter).toBeLessThanOrEqual(DEFAULT_SIGN_IN_LIMITS.perAccount);
    expect((await attempt(a, '198.51.100.71', TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(429);
    const owner = await fetch(`${b.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.72', cookie: device! },
      body: JSON.stringify({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }),
    });
    expect(owner.status).toBe(200);
  });
});

describe('cancelling a bulk resend on one server while the other sends it', () => {
  const database = freshPostgresDatabase();
  let pair: Pair;
  let catenaOfB: Awaited<ReturnType<typeof startWriteTallyProxy>>;
  beforeAll(async () => {
    catenaOfB = await startWriteTallyProxy(sim.url);
    // A only answers browsers; B's dispatcher sends every batch item.
    pair = await startPair(database.url, { dispatch: false }, { catenaUrl: catenaOfB.url });
    await pair.a.subscribed;
  });
  afterAll(async () => {
    await pair?.close();
    await catenaOfB?.close();
  });

  it('sends nothing after the cancel answered, beyond the item B had on its way', async () => {
    const { a, b } = pair;
    const { connection, dispatcher, drivers } = await fleetOf(a, 'Northwind Freight');
    await sim.scenario('expired_credentials', connection.id);
    const text = `Cancel across servers ${randomUUID()}`;
    const created = await post(a, '/api/broadcasts', {
      connection_id: connection.id,
      sender_id: dispatcher.id,
      all_drivers: true,
      message_text: text,
    });
    expect(created.status).toBe(202);
    const broadcastId = broadcastDetailSchema.parse(created.body).id;
    expect((await settledBroadcast(a, broadcastId)).counts).toMatchObject({ failed: drivers.length });
    await sim.clearScenarios();

    // Each resend now takes a while to reach Catena, so the batch is half sent when A cancels it.
    catenaOfB.delayWrites(300);
    const batch = resendBatchDetailSchema.parse((await post(a, `/api/broadcasts/${broadcastId}/resend-failed`)).body);
    expect(batch.will_resend).toBe(drivers.length);
    await eventually(
      async () => {
        const now = await batchOf(a, batch.id);
        if (now.items.filter((item) => item.operation_id !== null).length < 3) throw new Error('not started');
      },
      20_000,
      50,
    );

    const cancel = await post(a, `/api/resend-batches/${batch.id}/cancel`);
    expect(cancel.status).toBe(200);
    const cancelled = resendBatchDetailSchema.parse(cancel.body);
    expect(cancelled.cancelled_at).not.toBeNull();
    const sentAtCancel = cancelled.items.filter((item) => item.operation_id !== null).length;
    const onItsWay = cancelled.items.filter((item) => item.state === 'sending').length;
    expect(onItsWay).toBeLessThanOrEqual(1);
    expect(sentAtCancel + onItsWay).toBeLessThan(drivers.length);

    await sleep(2_500);
    const after = await finishedBatch(b, batch.id);
    const sentInTheEnd = after.items.filter((item) => item.operation_id !== null).length;
    expect(sentInTheEnd).toBeGreaterThanOrEqual(sentAtCancel);
    expect(sentInTheEnd).toBeLessThanOrEqual(sentAtCancel + onItsWay);
    expect(after.counts.cancelled).toBe(after.will_resend - sentInTheEnd);
    // Catena: the first sends, plus exactly the resends the batch shows, all of them from B.
    const resends = [...(await messagesPerRecipient(sim, text)).values()].reduce((n, count) => n + count.sent - 1, 0);
    expect(resends).toBe(sentInTheEnd);
    expect(catenaOfB.acceptedWith(text)).toBe(drivers.length + sentInTheEnd);
  });
});

describe("cancelling a bulk resend while both servers' dispatchers send it", () => {
  const database = freshPostgresDatabase();
  let pair: Pair;
  let catenaOfA: Awaited<ReturnType<typeof startWriteTallyProxy>>;
  let catenaOfB: Awaited<ReturnType<typeof startWriteTallyProxy>>;
  beforeAll(async () => {
    catenaOfA = await startWriteTallyProxy(sim.url);
    catenaOfB = await startWriteTallyProxy(sim.url);
    pair = await startPair(database.url, { catenaUrl: catenaOfA.url }, { catenaUrl: catenaOfB.url });
    await pair.a.subscribed;
  });
  afterAll(async () => {
    await pair?.close();
    await catenaOfA?.close();
    await catenaOfB?.close();
  });

  it('sends nothing after the cancel answered, beyond what each dispatcher had on its way', async () => {
    const { a, b } = pair;
    const { connection, dispatcher, drivers } = await fleetOf(a, 'Northwind Freight');
    await sim.scenario('expired_credentials', connection.id);
    const text = `Cancel with two dispatchers ${randomUUID()}`;
    const created = await post(b, '/api/broadcasts', {
      connection_id: connection.id,
      sender_id: dispatcher.id,
      all_drivers: true,
      message_text: text,
    });
    const broadcastId = broadcastDetailSchema.parse(created.body).id;
    expect((await settledBroadcast(a, broadcastId)).counts).toMatchObject({ failed: drivers.length });
    await sim.clearScenarios();

    catenaOfA.delayWrites(300);
    catenaOfB.delayWrites(300);
    const batch = resendBatchDetailSchema.parse((await post(b, `/api/broadcasts/${broadcastId}/resend-failed`)).body);
    await eventually(
      async () => {
        const now = await batchOf(a, batch.id);
        if (now.items.filter((item) => item.operation_id !== null).length < 3) throw new Error('not started');
      },
      20_000,
      50,
    );

    const cancelled = resendBatchDetailSchema.parse((await post(a, `/api/resend-batches/${batch.id}/cancel`)).body);
    const sentAtCancel = cancelled.items.filter((item) => item.operation_id !== null).length;
    const onTheirWay = cancelled.items.filter((item) => item.state === 'sending').length;
    expect(onTheirWay).toBeLessThanOrEqual(2);
    expect(sentAtCancel + onTheirWay).toBeLessThan(drivers.length);

    await sleep(2_500);
    const after = await finishedBatch(b, batch.id);
    const sentInTheEnd = after.items.filter((item) => item.operation_id !== null).length;
    expect(sentInTheEnd).toBeLessThanOrEqual(sentAtCancel + onTheirWay);
    expect(after.counts.cancelled).toBe(after.will_resend - sentInTheEnd);
    const resends = [...(await messagesPerRecipient(sim, text)).values()].reduce((n, count) => n + count.sent - 1, 0);
    expect(resends).toBe(sentInTheEnd);
    expect(catenaOfA.acceptedWith(text) + catenaOfB.acceptedWith(text)).toBe(drivers.length + sentInTheEnd);
  });
});
