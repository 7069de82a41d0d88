/**
 * Benchmark: a bulk resend of 1,000 failed messages while Catena (the simulator) allows 50
 * requests/s. A broadcast to 1,000 drivers fails on expired credentials (sent at a high limit);
 * then the credentials are fixed, the limit drops to `rate`, and every failure of the filter is
 * resent in one batch. Measures the time from the batch's 202 until every item was handed to
 * Catena, against the `n / rate` seconds the limit allows at best, and counts on Catena's own list
 * that each driver got exactly one resend.
 *
 *   npx tsx bench/bulk-resend.bench.ts [operations=1000] [rate=50]
 */
import { sql } from 'kysely';
import { scalarOf } from '../tests/support/store-queries.ts';
import { randomUUID } from 'node:crypto';
import { broadcastDetailSchema } from '../contracts/broadcast-schemas.ts';
import { connectionListSchema, directoryUserListSchema } from '../contracts/directory-schemas.ts';
import { resendBatchDetailSchema, resendPreviewSchema } from '../contracts/resend-batch-schemas.ts';
import { createSimulator } from '../simulator/app.ts';
import { messagesPerRecipient, type RunningSimulator } from '../tests/support/simulator.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, startConsole } from '../tests/support/console-server.ts';

const count = Number(process.argv[2] ?? 1000);
const rate = Number(process.argv[3] ?? 50);

const simulator = await createSimulator({
  clientId: SIM_CLIENT_ID,
  clientSecret: SIM_CLIENT_SECRET,
  seedHistory: false,
  apiRateLimitPerSecond: 1000,
  largeFleetDrivers: count,
  timeScale: 0.02,
  logger: false,
});
const simUrl = await simulator.listen(0, '127.0.0.1');
const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${simUrl}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
};
const consoleServer = await startConsole({ catenaUrl: simUrl, subscribe: true, reconcile: false, dispatch: true });
const post = (route: string, body: unknown) =>
  consoleServer.fetch(route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
try {
  await consoleServer.subscribed;
  const connections = connectionListSchema.parse(await (await consoleServer.fetch('/api/connections')).json()).items;
  const fleet = connections.find((c) => c.name === 'Continental Express');
  if (!fleet) throw new Error('the simulator has no large fleet');
  const users = directoryUserListSchema.parse(await (await consoleServer.fetch(`/api/users?connection_id=${fleet.id}`)).json()).items;
  const dispatcher = users.find((u) => u.role === 'dispatcher');
  if (!dispatcher) throw new Error('no dispatcher');

  await control('POST', '/scenarios', { scenario: 'expired_credentials', connection_id: fleet.id });
  const text = `Bench bulk resend ${randomUUID()}`;
  const { id: broadcastId } = broadcastDetailSchema.parse(
    await (await post('/api/broadcasts', { connection_id: fleet.id, sender_id: dispatcher.id, all_drivers: true, message_text: text })).json(),
  );
  for (;;) {
    const b = broadcastDetailSchema.parse(await (await consoleServer.fetch(`/api/broadcasts/${broadcastId}`)).json());
    if (b.counts.failed === count) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await control('DELETE', '/scenarios');
  await control('PUT', '/settings', { api_rate_limit_per_second: rate });

  const filter = { q: text, status: ['failed'] };
  const previewStarted = performance.now();
  const preview = resendPreviewSchema.parse(await (await post('/api/resend-batches', { filter, dry_run: true })).json());
  const previewMs = performance.now() - previewStarted;
  const started = performance.now();
  const response = await post('/api/resend-batches', { filter });
  const accepted = performance.now();
  const batch = resendBatchDetailSchema.parse(await response.json());
  const unsent = {
    get: (batchId: string) => scalarOf(consoleServer.database, sql`SELECT COUNT(*) FROM sends WHERE batch_id = ${batchId} AND state != 'submitted'`),
  };
  while (Number(await unsent.get(batch.id)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const allSubmitted = performance.now();

  const sim = { url: simUrl } as RunningSimulator;
  const perDriver = await messagesPerRecipient(sim, text);
  const resentTwice = [...perDriver.values()].filter((c) => c.sent > 2).length;
  const notResent = [...perDriver.values()].filter((c) => c.sent < 2).length;
  const minimum = count / rate;
  const seconds = (allSubmitted - started) / 1000;
  console.log(`failed operations:           ${count}`);
  console.log(
    `preview (dry run):           ${preview.will_resend} to resend, ${JSON.stringify(preview.skipped)} skipped, in ${previewMs.toFixed(0)} ms`,
  );
  console.log(`Catena rate limit:           ${rate} requests/s (minimum ${minimum.toFixed(1)} s)`);
  console.log(`202 after:                   ${(accepted - started).toFixed(0)} ms`);
  console.log(`all resent after:            ${seconds.toFixed(2)} s (${(seconds / minimum).toFixed(3)} × the minimum)`);
  console.log(`drivers not resent:          ${notResent}`);
  console.log(`drivers resent twice:        ${resentTwice}`);
} finally {
  await consoleServer.close();
  await simulator.close();
}
