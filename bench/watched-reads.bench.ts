/**
 * Benchmark: what watching pending operations costs Catena. While people keep a pending
 * operation's drawer open, the console reads it again from Catena's get-one endpoint (at most
 * every LIVE_REFRESH_SECONDS per operation, all viewers together). This counts those reads,
 * through a proxy in front of the simulator, for 0, 1 and 50 viewers of 1 and of 10 pending
 * operations, each viewer polling every 2 s as the drawer does. The reads must grow with the
 * watched operations and not at all with the viewers.
 *
 *   npx tsx bench/watched-reads.bench.ts [seconds=12]
 */
import { randomUUID } from 'node:crypto';
import { connectionListSchema, directoryUserListSchema } from '../contracts/directory-schemas.ts';
import { operationDetailSchema } from '../contracts/operation-schemas.ts';
import { createSimulator } from '../simulator/app.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, startConsole } from '../tests/support/console-server.ts';
import { startCountingProxy } from '../tests/support/counting-proxy.ts';

const seconds = Number(process.argv[2] ?? 12);
/** The drawer's poll (OPERATION_DETAIL_POLL_MS in the SPA, not imported: the bench runs under Node's types). */
const OPERATION_DETAIL_POLL_MS = 2_000;

// Real time: an operation under an outage stays pending for its whole retry schedule (about 15 s).
const simulator = await createSimulator({
  clientId: SIM_CLIENT_ID,
  clientSecret: SIM_CLIENT_SECRET,
  seedHistory: false,
  apiRateLimitPerSecond: 1000,
  timeScale: 1,
});
const simUrl = await simulator.listen(0, '127.0.0.1');
const proxy = await startCountingProxy(simUrl);
const consoleServer = await startConsole({ catenaUrl: proxy.url, subscribe: true, reconcile: false });
const rows: { viewers: number; operations: number; polls: number; reads: number }[] = [];
try {
  await consoleServer.subscribed;
  const connections = connectionListSchema.parse(await (await consoleServer.fetch('/api/connections')).json()).items;
  const fleet = connections.find((c) => c.name === 'Prairie Haulers');
  if (!fleet) throw new Error('no Prairie Haulers');
  const users = directoryUserListSchema.parse(await (await consoleServer.fetch(`/api/users?connection_id=${fleet.id}`)).json()).items;
  const dispatcher = users.find((u) => u.role === 'dispatcher');
  const driver = users.find((u) => u.role === 'driver' && u.is_active);
  if (!dispatcher || !driver) throw new Error('Prairie Haulers has no dispatcher or driver');
  await fetch(`${simUrl}/_sim/scenarios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: 'outage', connection_id: fleet.id }),
  });

  const sendPending = async () => {
    const response = await consoleServer.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ connection_id: fleet.id, sender_id: dispatcher.id, recipient_id: driver.id, message_text: `Bench ${randomUUID()}` }),
    });
    return operationDetailSchema.parse(await response.json()).id;
  };
  const readsOf = (ids: readonly string[]) =>
    proxy.count((r) => r.method === 'GET' && ids.some((id) => r.path.endsWith(`/resource-operations/${id}`)));

  for (const operations of [1, 10]) {
    for (const viewers of [0, 1, 50]) {
      const ids = await Promise.all(Array.from({ length: operations }, sendPending));
      const before = readsOf(ids);
      let polls = 0;
      const until = Date.now() + seconds * 1000;
      // Counted over the same window for every case (the last polls may end a little later).
      const counted = new Promise<number>((resolve) => setTimeout(() => resolve(readsOf(ids) - before), seconds * 1000));
      await Promise.all(
        Array.from({ length: viewers }, async (_, viewer) => {
          // Spread over one poll interval, as browsers opened at different moments are.
          await new Promise((resolve) => setTimeout(resolve, (viewer * OPERATION_DETAIL_POLL_MS) / Math.max(1, viewers)));
          while (Date.now() < until) {
            await Promise.all(ids.map(async (id) => (await consoleServer.fetch(`/api/operations/${id}`)).arrayBuffer()));
            polls += ids.length;
            await new Promise((resolve) => setTimeout(resolve, OPERATION_DETAIL_POLL_MS));
          }
        }),
      );
      rows.push({ viewers, operations, polls, reads: await counted });
    }
  }
} finally {
  await consoleServer.close();
  await proxy.close();
  await simulator.close();
}

console.log(
  `\nWatched pending operations: Catena get-one reads in ${seconds} s (drawer polls every ${OPERATION_DETAIL_POLL_MS / 1000} s, reads at most every 3 s per operation)`,
);
console.table(
  rows.map((r) => ({
    'pending operations': r.operations,
    viewers: r.viewers,
    'polls of the console': r.polls,
    'reads from Catena': r.reads,
    'reads per operation': +(r.reads / r.operations).toFixed(1),
  })),
);
const byViewers = (operations: number, viewers: number) => rows.find((r) => r.operations === operations && r.viewers === viewers)?.reads ?? 0;
for (const operations of [1, 10]) {
  console.log(
    `${operations} pending: 50 viewers cost ${byViewers(operations, 50)} reads, 1 viewer ${byViewers(operations, 1)}, none ${byViewers(operations, 0)}`,
  );
}
