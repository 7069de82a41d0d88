/**
 * Benchmark: webhook ingest on SQLite and on PostgreSQL in one run. Signed, gzipped Catena events
 * are POSTed to /webhooks/catena as fast as the server acknowledges them, by `senders` concurrent
 * senders (Catena delivers in parallel), into a store of `operations` seeded operations (the same
 * rows on both engines, bench/support/engines.ts).
 *
 *   npx tsx bench/webhook-ingest.bench.ts [operations=100000] [seconds=15] [senders=8]
 *
 * Each sender alternates an operation's `resource_operation.created` (pending, a message) and its
 * `resource_operation.updated` (success, with its record's id): half the events insert an
 * operation, half update one. Measures accepted events (202) per second and the time from sending
 * to the 202 (p50/p95/p99), after a warm-up of a few seconds that is not counted; prints both
 * engines and PostgreSQL's rate as a multiple of SQLite's. Then counts in the store that every
 * accepted event was stored. Asserts nothing about time.
 *
 * The baseline, measured first in the same run with the same load: a bare `node:http` receiver that
 * gunzips, checks the timestamp and signature with the console's own functions, parses the JSON
 * and discards it. Each engine's rate is also given as a multiple of it (target: at least 0.7×).
 *
 * The load runs in a worker thread with its own event loop, so the server's loop is not the load's.
 */
import { sql } from 'kysely';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { Engine } from '../server/db/dialect.ts';
import { TEST_WEBHOOK_SECRET } from '../tests/support/console-server.ts';
import { scalarOf } from '../tests/support/store-queries.ts';
import { ENGINE_LABELS, formatTable, percentile, seedBothEngines, stopConsole } from './support/engines.ts';
import { seedOperations } from './support/seed-operations.ts';
import { reportFigures } from './support/report.ts';
import { checkSignature, checkTimestamp, inflateGzipBody } from '../server/webhooks/webhook-verification.ts';

const total = Number(process.argv[2] ?? 100_000);
const seconds = Number(process.argv[3] ?? 15);
const senders = Number(process.argv[4] ?? 8);
const warmUpSeconds = Math.min(3, Math.max(1, seconds / 5));

/** The load, in plain JavaScript so the worker needs no TypeScript loader. */
const LOAD = `
const { workerData, parentPort } = require('node:worker_threads');
const { createHmac, randomUUID } = require('node:crypto');
const { gzipSync } = require('node:zlib');
const { url, secret, warmUpSeconds, seconds, senders, connectionIds } = workerData;
const measureFrom = Date.now() + warmUpSeconds * 1000;
const until = measureFrom + seconds * 1000;
const latencies = [];
const totals = { created: 0, updated: 0, rejected: 0, statuses: {} };
let measuredStarted = null;
let measuredEnded = null;
async function post(eventName, op) {
  const now = new Date().toISOString();
  const json = JSON.stringify({ version: '1.0', event_name: eventName, webhook_id: randomUUID(), timestamp: now, id: randomUUID(), delivery_attempt: 1, data: [op] });
  const timestamp = now.replace('Z', '+00:00');
  const signature = createHmac('sha256', secret).update(timestamp + '.').update(json).digest('base64');
  const started = performance.now();
  const response = await fetch(url + '/webhooks/catena', { method: 'POST', body: gzipSync(json), headers: {
    'content-type': 'application/json', 'content-encoding': 'gzip', 'user-agent': 'Catena-Webhook',
    'x-catena-signature': signature, 'x-catena-timestamp': timestamp, 'x-event-type': eventName } });
  await response.arrayBuffer();
  const ended = performance.now();
  const measured = Date.now() >= measureFrom && Date.now() < until;
  if (response.status !== 202) {
    totals.rejected += 1;
    totals.statuses[response.status] = (totals.statuses[response.status] ?? 0) + 1;
    return false;
  }
  if (measured) {
    measuredStarted ??= started;
    measuredEnded = ended;
    latencies.push(ended - started);
  }
  return true;
}
async function sender(n) {
  for (let i = 0; Date.now() < until; i += 1) {
    const created = new Date(Date.now() - 2000).toISOString();
    const op = { id: randomUUID(), created_at: created, updated_at: created, partner_id: randomUUID(),
      connection_id: connectionIds[(n + i) % connectionIds.length], fleet_ref: null, source_name: 'samsara',
      resource: 'message', operation_type: 'create', status: 'pending', resource_id: null, source_id: null,
      payload: { message_text: 'Gate code changed to 4471, please use dock ' + (i % 12), recipient_id: randomUUID(), sender_id: randomUUID() },
      logs: [] };
    if (await post('resource_operation.created', op)) totals.created += 1;
    const done = { ...op, status: 'success', updated_at: new Date(Date.parse(created) + 1000).toISOString(),
      resource_id: randomUUID(), source_id: 'msg-' + n + '-' + i,
      logs: [{ id: randomUUID(), created_at: created, updated_at: created, resource_operation_id: op.id, status: 'success',
        error_type: null, error_details: null, response_status_code: 200, response_headers: null }] };
    if (await post('resource_operation.updated', done)) totals.updated += 1;
  }
}
Promise.all(Array.from({ length: senders }, (_, n) => sender(n))).then(() =>
  parentPort.postMessage({ latencies, totals, measuredMs: (measuredEnded ?? 0) - (measuredStarted ?? 0) }));
`;

type LoadResult = {
  latencies: number[];
  totals: { created: number; updated: number; rejected: number; statuses: Record<string, number> };
  measuredMs: number;
};
type Figures = { perSecond: number; p50: number; p95: number; p99: number; accepted: number; rejected: string; stored: string };

/** The same load, in a worker thread of its own, against the receiver at `url`. */
function runLoad(url: string): Promise<LoadResult> {
  return new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(LOAD, {
      eval: true,
      workerData: { url, secret: TEST_WEBHOOK_SECRET, warmUpSeconds, seconds, senders, connectionIds },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The baseline: what any receiver must do for an event (gunzip, verify, parse), then nothing. */
async function measureBareReceiver(): Promise<number> {
  const server = createServer((request, response) => {
    void (async () => {
      try {
        const body = await inflateGzipBody(await readBody(request), 1024 * 1024);
        const timestamp = String(request.headers['x-catena-timestamp'] ?? '');
        checkTimestamp(timestamp, Date.now());
        checkSignature(TEST_WEBHOOK_SECRET, timestamp, body, request.headers['x-catena-signature'] as string | undefined);
        JSON.parse(body.toString('utf8'));
        response.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(401).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const result = await runLoad(`http://127.0.0.1:${port}`);
    if (result.totals.rejected > 0) throw new Error(`the bare receiver refused ${result.totals.rejected} events`);
    return result.latencies.length / (result.measuredMs / 1000);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

let connectionIds: string[] = [];
const seeded = await seedBothEngines(async (server) => {
  connectionIds = await seedOperations(server.store, server.database, total);
});
const results = new Map<Engine, Figures>();
const bare = await measureBareReceiver();
console.log(`bare node:http receiver (gunzip, verify, parse, discard): ${bare.toFixed(0)} events/s`);
try {
  for (const { engine, start } of seeded.engines) {
    const server = await start();
    try {
      const before = Number(await scalarOf(server.database, sql`SELECT COUNT(*) FROM operations`));
      const result = await runLoad(server.url);
      const after = Number(await scalarOf(server.database, sql`SELECT COUNT(*) FROM operations`));
      const delivered = Number(
        await scalarOf(server.database, sql`SELECT COUNT(*) FROM operations WHERE seen_via = 'webhook' AND status = 'success'`),
      );
      const latencies = [...result.latencies].sort((a, b) => a - b);
      const { created, updated, rejected, statuses } = result.totals;
      results.set(engine, {
        perSecond: latencies.length / (result.measuredMs / 1000),
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        accepted: latencies.length,
        rejected: rejected
          ? `${rejected} (${Object.entries(statuses)
              .map(([status, n]) => `${n}× ${status}`)
              .join(', ')})`
          : '0',
        // Every accepted "created" is a new row; every accepted "updated" made one a success.
        stored: after - before === created && delivered === updated ? 'all' : `${after - before}/${created} created, ${delivered}/${updated} updated`,
      });
      console.log(`${ENGINE_LABELS[engine]}: ${created + updated} events accepted in ${(warmUpSeconds + seconds).toFixed(0)} s`);
    } finally {
      await stopConsole(server);
    }
  }
} finally {
  await seeded.dispose();
}

const sqlite = results.get('sqlite');
const postgres = results.get('postgres');
console.log(
  `\nPOST /webhooks/catena, ${senders} senders at full speed for ${seconds} s (after ${warmUpSeconds} s warm-up), store of ${total} operations; half created, half updated\n`,
);
console.log(
  formatTable(
    ['engine', 'events/s', '× bare', 'p50 ms', 'p95 ms', 'p99 ms', 'accepted', 'not 202', 'stored'],
    [...results].map(([engine, f]) => [
      ENGINE_LABELS[engine],
      f.perSecond.toFixed(0),
      `${(f.perSecond / bare).toFixed(2)}×`,
      f.p50.toFixed(2),
      f.p95.toFixed(2),
      f.p99.toFixed(2),
      String(f.accepted),
      f.rejected,
      f.stored,
    ]),
  ),
);
if (sqlite && postgres) {
  console.log(
    `\nratio PostgreSQL / SQLite: ${(postgres.perSecond / sqlite.perSecond).toFixed(2)}× the events/s (target: at least 0.5×), ${(postgres.p95 / sqlite.p95).toFixed(2)}× the p95`,
  );
}
console.log(`\nbaseline: a bare node:http receiver took ${bare.toFixed(0)} events/s in this run (target: each engine at least 0.7× of it)`);
reportFigures(
  'webhook-ingest',
  [...results].map(([engine, f]) => ({
    what: `webhook ingest, ${senders} senders, ${ENGINE_LABELS[engine]}, ${total.toLocaleString('en')} operations`,
    value: Math.round(f.perSecond),
    unit: 'events/s',
    baseline: { what: 'bare node:http receiver', value: Math.round(bare) },
    target: { minRatio: 0.7 },
  })),
);
