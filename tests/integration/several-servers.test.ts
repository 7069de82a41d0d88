import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { broadcastDetailSchema, type BroadcastDetail } from '../../contracts/broadcast-schemas.ts';
import { operationDetailSchema } from '../../contracts/operation-schemas.ts';
import { json, post } from '../support/console-api.ts';
import { startConsoleProcess, type ConsoleProcess } from '../support/console-process.ts';
import { freePort, type SignedIn } from '../support/console-server.ts';
import { isListPage, isListPass, isMessageWrite, startCountingProxy, type CountingProxy, type ProxiedRequest } from '../support/counting-proxy.ts';
import { partnerSystem } from '../support/partner-system.ts';
import { LARGE_FLEET_NAME, startLargeFleetSimulator } from '../support/large-fleet-simulator.ts';
import { catenaOperations, eventually, messagesPerRecipient, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { freshPostgresDatabase } from '../support/test-databases.ts';
import { fleetOf } from '../support/fleet-directory.ts';

/**
 * Several console servers on one PostgreSQL store act as one (architecture.md, "Several servers"):
 * real server processes, each talking to the one simulator through a proxy of its own (so the test
 * sees which server asked Catena what), behind a round-robin load balancer that is their PUBLIC_URL
 * (so Catena's webhooks land on either).
 */

const RECONCILE_INTERVAL_MS = 2_000;
/** The leader lease lasts 2.5 lease checks, a check being a quarter of the reconcile interval (server/app.ts). */
const LEASE_MS = (RECONCILE_INTERVAL_MS / 4) * 2.5;

type Server = { name: string; process: ConsoleProcess; catena: CountingProxy };
type Cluster = { servers: Server[]; webhooks: CountingProxy; stop(): Promise<void> };

/** Two console processes on one store, each with its own way to Catena, behind one load balancer for webhooks. */
async function startCluster(catenaUrl: string, databaseUrl: string): Promise<Cluster> {
  const names = ['A', 'B'];
  const ports = await Promise.all(names.map(() => freePort()));
  const webhooks = await startCountingProxy(ports.map((port) => `http://127.0.0.1:${port}`));
  const proxies = await Promise.all(names.map(() => startCountingProxy(catenaUrl)));
  const servers: Server[] = [];
  const stop = async () => {
    for (const server of servers) await server.process.kill('SIGKILL');
    for (const proxy of [webhooks, ...proxies]) await proxy.close();
  };
  try {
    // Together, as after a deploy: both migrate the empty store and make the first admin; one does.
    const started = await Promise.allSettled(
      names.map((name, index) =>
        startConsoleProcess({
          catenaUrl: proxies[index]!.url,
          port: ports[index]!,
          databaseUrl,
          publicUrl: webhooks.url,
          reconcileIntervalSeconds: RECONCILE_INTERVAL_MS / 1000,
          sendTimeoutSeconds: 1,
          landingWindowSeconds: 3,
          // Info: each server logs its id when it takes the lead.
          env: { LOG_LEVEL: 'info' },
        }).then((running) => servers.push({ name, process: running, catena: proxies[index]! })),
      ),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    servers.sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers, webhooks, stop };
}

async function queryStore<T extends object>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The running server that holds the leader lease in the store (it logged its id when it took the lead). */
async function leaderOf(databaseUrl: string, servers: readonly Server[]): Promise<Server> {
  return eventually(
    async () => {
      const [lease] = await queryStore<{ holder: string }>(databaseUrl, `SELECT holder FROM leases WHERE name = 'leader'`);
      const leader = servers.find((server) => server.process.alive() && lease && server.process.logs().includes(`"server_id":"${lease.holder}"`));
      if (!leader) throw new Error(`no running server holds the leader lease (holder: ${lease?.holder ?? 'none'})`);
      return leader;
    },
    10_000,
    100,
  );
}

type Api = Pick<SignedIn, 'fetch'>;

async function broadcast(api: Api, id: string): Promise<BroadcastDetail> {
  return broadcastDetailSchema.parse((await json(api, `/api/broadcasts/${id}`)).body);
}

/** A message write with this text that Catena took. */
const acceptedWriteOf = (text: string) => (request: ProxiedRequest) =>
  isMessageWrite(request) && request.status === 202 && request.body.toString('utf8').includes(text);

const webhookEventSchema = z.object({ event_name: z.string(), data: z.array(z.object({ id: z.string(), status: z.string() })) });

/** A webhook as Catena delivered it (gzipped JSON): its event and the operations it carries. */
function webhookEvent(request: ProxiedRequest) {
  return webhookEventSchema.parse(JSON.parse(gunzipSync(request.body).toString('utf8')));
}

/** Once the leader has subscribed to Catena's webhooks (at the load balancer's URL, the servers' PUBLIC_URL). */
async function subscribed(sim: RunningSimulator): Promise<void> {
  await eventually(
    async () => {
      const { body } = await partnerSystem(sim.url).api<{ items: unknown[] }>('/v2/notifications/webhooks');
      if (body.items.length === 0) throw new Error('no webhook subscription yet');
    },
    20_000,
    100,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a broadcast sent by two servers, one of them killed in the middle', () => {
  const database = freshPostgresDatabase();

  it('reaches each of 500 drivers exactly once, and every operation ends', async () => {
    // Catena's limit (shared by both servers: one partner, one credential) makes 500 sends take seconds.
    const sim = await startLargeFleetSimulator({ drivers: 500, apiRateLimitPerSecond: 50 });
    let cluster: Cluster | undefined;
    try {
      cluster = await startCluster(sim.url, database.url);
      await subscribed(sim);
      const { servers } = cluster;
      const { connection, dispatcher, drivers } = await fleetOf(servers[0]!.process, LARGE_FLEET_NAME);
      expect(drivers).toHaveLength(500);

      const text = `Road closure on I-40 ${randomUUID()}`;
      const created = await post(servers[0]!.process, '/api/broadcasts', {
        connection_id: connection.id,
        sender_id: dispatcher.id,
        all_drivers: true,
        message_text: text,
      });
      expect(created.status).toBe(202);
      const { id } = broadcastDetailSchema.parse(created.body);

      // Both servers' dispatchers take recipients from the one queue.
      const accepted = acceptedWriteOf(text);
      await eventually(
        async () => {
          const perServer = servers.map((server) => server.catena.count(accepted));
          if (perServer.some((count) => count < 10) || perServer[0]! + perServer[1]! < 100) throw new Error(`sent so far: ${perServer.join(' + ')}`);
        },
        30_000,
        20,
      );

      const leader = await leaderOf(database.url, servers);
      const survivor = servers.find((server) => server !== leader)!;
      await leader.process.kill('SIGKILL');
      const sentBeforeTheCrash = servers.map((server) => server.catena.count(accepted));
      expect(sentBeforeTheCrash[0]! + sentBeforeTheCrash[1]!).toBeLessThan(500);

      // The survivor takes the lead, settles what the dead server left in doubt, and sends the rest.
      const finished = await eventually(
        async () => {
          const b = await broadcast(survivor.process, id);
          const inDoubt = b.recipients.filter((r) => r.in_doubt).length;
          if (b.counts.queued > 0 || inDoubt > 0) throw new Error(`not finished: ${JSON.stringify(b.counts)}, ${inDoubt} in doubt`);
          return b;
        },
        45_000,
        500,
      );
      expect(finished.recipient_count).toBe(500);

      // Catena's own list: one message per driver, none missing, none twice, each one final.
      const ours = await eventually(
        async () => {
          const ops = (await catenaOperations(sim)).filter((op) => op.payload.message_text === text);
          const pending = ops.filter((op) => op.status !== 'success' && op.status !== 'failed');
          if (pending.length > 0) throw new Error(`${pending.length} of ${ops.length} operations not final at Catena`);
          return ops;
        },
        20_000,
        500,
      );
      expect(ours).toHaveLength(500);
      const perDriver = await messagesPerRecipient(sim, text);
      expect([...perDriver.keys()].sort()).toEqual(drivers.map((d) => d.id.toLowerCase()).sort());
      expect([...perDriver].filter(([, count]) => count.sent !== 1)).toEqual([]);

      // And the console, on the server still standing, shows every recipient's operation final.
      const settled = await eventually(
        async () => {
          const b = await broadcast(survivor.process, id);
          if (b.counts.pending > 0 || b.counts.queued > 0) throw new Error(`still going: ${JSON.stringify(b.counts)}`);
          return b;
        },
        20_000,
        500,
      );
      expect(settled.counts.success + settled.counts.failed).toBe(500);
      expect(new Set(settled.recipients.map((r) => r.operation_id)).size).toBe(500);
    } finally {
      await cluster?.stop();
      await sim.close();
    }
  }, 90_000);
});

describe('two servers on one store', () => {
  const database = freshPostgresDatabase();
  let sim: RunningSimulator;
  let cluster: Cluster;

  beforeAll(async () => {
    sim = await startSimulator();
    cluster = await startCluster(sim.url, database.url);
    // The leader subscribed the load balancer's URL: both servers receive Catena's webhooks.
    await subscribed(sim);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await sim?.close();
  });

  it('serves on each server what a webhook brought to the other, at its next poll', async () => {
    const leader = await leaderOf(database.url, cluster.servers);
    const follower = cluster.servers.find((server) => server !== leader)!;
    const { connection, dispatcher, drivers } = await fleetOf(leader.process, 'Blue Ridge Logistics');
    // Neither reconciler reads Catena's list meanwhile: a final state can only arrive by webhook.
    for (const server of cluster.servers) server.catena.hold(isListPage);
    try {
      for (const [index, [receiver, other]] of (
        [
          [leader, follower],
          [follower, leader],
        ] as const
      ).entries()) {
        // The load balancer hands this message's events to one server; the other one sent it.
        cluster.webhooks.pin(receiver.process.url);
        const text = `Dock ${index + 4} is open ${randomUUID()}`;
        const response = await post(other.process, '/api/messages', {
          connection_id: connection.id,
          sender_id: dispatcher.id,
          recipient_id: drivers[index]!.id,
          message_text: text,
        });
        expect(response.status).toBe(202);
        const { id } = operationDetailSchema.parse(response.body);

        // The receiver answers a webhook only once it stored the event.
        const delivery = await eventually(
          async () => {
            const found = cluster.webhooks
              .requests((request) => request.method === 'POST' && request.path === '/webhooks/catena' && request.status === 202)
              .find((request) => webhookEvent(request).data.some((op) => op.id === id && op.status !== 'pending'));
            if (!found) throw new Error(`no final event for ${id} delivered yet`);
            return found;
          },
          15_000,
          50,
        );
        expect(delivery.target).toBe(receiver.process.url);
        const finalState = webhookEvent(delivery).data.find((op) => op.id === id)!.status;

        const served = operationDetailSchema.parse((await json(other.process, `/api/operations/${id}`)).body);
        expect({ served_by: other.name, status: served.status }).toEqual({ served_by: other.name, status: finalState });
        // From the store, as the webhook wrote it: the server that serves it never asked Catena about it.
        const [row] = await queryStore<{ seen_via: string }>(database.url, 'SELECT seen_via FROM operations WHERE id = $1', [id]);
        expect(row?.seen_via).toBe('webhook');
        expect(other.catena.count((request) => request.path.includes(id))).toBe(0);
      }
    } finally {
      cluster.webhooks.pin(null);
      for (const server of cluster.servers) server.catena.release();
    }
  }, 30_000);

  it("pages Catena's list from one server only, once per interval, and from the other once the first dies", async () => {
    const leader = await leaderOf(database.url, cluster.servers);
    const follower = cluster.servers.find((server) => server !== leader)!;
    const passesSince = (server: Server, since: number, until = Infinity) =>
      server.catena.requests((request) => isListPass(request) && request.at >= since && request.at < until).length;

    const from = Date.now();
    await sleep(4 * RECONCILE_INTERVAL_MS);
    const to = Date.now();
    expect({ leader: passesSince(leader, from, to), follower: passesSince(follower, from, to) }).toEqual({
      leader: expect.toSatisfy((passes: number) => passes >= 3 && passes <= 5),
      follower: 0,
    });

    await leader.process.kill('SIGKILL');
    const killedAt = Date.now();
    const firstPass = await eventually(
      async () => {
        const [pass] = follower.catena.requests((request) => isListPass(request) && request.at >= killedAt);
        if (!pass) throw new Error('the follower has not paged the list yet');
        return pass;
      },
      15_000,
      50,
    );
    // A dead leader's lease runs out, the follower takes it at its next check and starts the reconciler.
    expect(firstPass.at - killedAt).toBeLessThan(RECONCILE_INTERVAL_MS + LEASE_MS);
    expect((await leaderOf(database.url, cluster.servers)).name).toBe(follower.name);

    const after = Date.now();
    await sleep(2 * RECONCILE_INTERVAL_MS);
    expect(passesSince(follower, after)).toBeGreaterThanOrEqual(1);
    expect(passesSince(follower, after)).toBeLessThanOrEqual(3);
  }, 40_000);
});
