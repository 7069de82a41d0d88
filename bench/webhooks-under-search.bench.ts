/**
 * Benchmark: webhook acknowledgements while 20 viewers search, over a store of 100,000 operations.
 *
 *   npx tsx bench/webhooks-under-search.bench.ts [operations=100000] [seconds=20] [viewers=20]
 *
 * The real console server runs in this process (real SQLite file, loopback HTTP); the load runs in
 * a worker thread with its own event loop, so the figures are the server's, not the load's:
 * - viewers: each searches in a loop as the Operations page does (the list and its summary, with
 *   words found in a few or in most messages, prefixes included);
 * - Catena: one signed, gzipped `resource_operation.created` event every 25 ms, each timed from
 *   sending to the 202.
 * Prints webhook ack latency p50/p99/max, searches done, and the server's event-loop delay
 * (perf_hooks.monitorEventLoopDelay: its max is the longest the loop was held). Asserts nothing
 * about time.
 */
import { sql } from 'kysely';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { signIn, startConsole, TEST_ADMIN, TEST_WEBHOOK_SECRET } from '../tests/support/console-server.ts';
import { scalarOf } from '../tests/support/store-queries.ts';
import { stopConsole } from './support/engines.ts';
import { seedOperations } from './support/seed-operations.ts';

const total = Number(process.argv[2] ?? 100_000);
const seconds = Number(process.argv[3] ?? 20);
const viewers = Number(process.argv[4] ?? 20);

/** The load, in plain JavaScript so the worker needs no TypeScript loader. */
const LOAD = `
const { workerData, parentPort } = require('node:worker_threads');
const { createHmac, randomUUID } = require('node:crypto');
const { gzipSync } = require('node:zlib');
const { url, cookie, secret, seconds, viewers, connectionId } = workerData;
const until = Date.now() + seconds * 1000;
const searches = ['w', 'the', 'please', 'd', 'reefer l', 'a', 'w1', 'dock gate', 'p'];
let searchCount = 0;
let searchErrors = 0;
async function viewer(n) {
  for (let i = n; Date.now() < until; i += 1) {
    const q = encodeURIComponent(searches[i % searches.length]);
    for (const path of ['/api/operations?limit=50&q=' + q, '/api/operations/summary?q=' + q]) {
      const response = await fetch(url + path, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.ok) searchCount += 1; else searchErrors += 1;
    }
  }
}
async function catena() {
  const latencies = [];
  let failures = 0;
  while (Date.now() < until) {
    const now = new Date().toISOString();
    const op = { id: randomUUID(), created_at: now, updated_at: now, partner_id: randomUUID(), connection_id: connectionId, fleet_ref: null,
      source_name: 'samsara', resource: 'message', operation_type: 'create', status: 'pending', resource_id: null, source_id: null,
      payload: { message_text: 'Gate code changed to 4471, please use dock 4' }, logs: [] };
    const json = JSON.stringify({ version: '1.0', event_name: 'resource_operation.created', webhook_id: randomUUID(), timestamp: now, id: randomUUID(), delivery_attempt: 1, data: [op] });
    const timestamp = now.replace('Z', '+00:00');
    const signature = createHmac('sha256', secret).update(timestamp + '.').update(json).digest('base64');
    const started = performance.now();
    const response = await fetch(url + '/webhooks/catena', { method: 'POST', body: gzipSync(json), headers: {
      'content-type': 'application/json', 'content-encoding': 'gzip', 'x-catena-signature': signature, 'x-catena-timestamp': timestamp } });
    await response.arrayBuffer();
    if (response.status === 202) latencies.push(performance.now() - started); else failures += 1;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { latencies, failures };
}
Promise.all([catena(), ...Array.from({ length: viewers }, (_, n) => viewer(n))]).then(([hooks]) =>
  parentPort.postMessage({ ...hooks, searchCount, searchErrors }));
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const consoleServer = await startConsole({ catenaUrl: 'http://127.0.0.1:9' });
try {
  // Seeding only: a large page cache makes the 100,000 upserts several times faster; the server's
  // own cache size is back before anything is measured.
  const { db } = consoleServer.database;
  const cacheSize = Number(await scalarOf(consoleServer.database, sql`PRAGMA cache_size`));
  await sql`PRAGMA cache_size = -262144`.execute(db);
  const [connectionId] = await seedOperations(consoleServer.store, consoleServer.database, total);
  await sql.raw(`PRAGMA cache_size = ${cacheSize}`).execute(db);
  // A server in its steady state has no 100,000-operation WAL to fold back: do it before measuring.
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  // The viewers share one admin session (what they are allowed to see does not change the work).
  const session = await signIn(consoleServer.url, TEST_ADMIN.email, TEST_ADMIN.password);

  // The store's time per call, from the call until its promise settles: its SQL, and its wait for
  // the one SQLite connection (a webhook's storeEvent waits behind a search that holds it).
  const storeTimes: Record<string, number[]> = { list: [], summary: [], storeEvent: [] };
  const store = consoleServer.store as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(storeTimes)) {
    const original = store[name]?.bind(consoleServer.store);
    if (!original) continue;
    store[name] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await original(...args);
      } finally {
        storeTimes[name]?.push(performance.now() - started);
      }
    };
  }
  const eventLoop = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // The longest block of each second, to tell a steady cost from a one-off.
  const perSecond = monitorEventLoopDelay({ resolution: 1 });
  const secondMaxima: number[] = [];
  perSecond.enable();
  const sampler = setInterval(() => {
    secondMaxima.push(perSecond.max / 1e6);
    perSecond.reset();
  }, 1000);
  const started = performance.now();
  const result = await new Promise<{ latencies: number[]; failures: number; searchCount: number; searchErrors: number }>((resolve, reject) => {
    const worker = new Worker(LOAD, {
      eval: true,
      workerData: { url: consoleServer.url, cookie: session.cookie, secret: TEST_WEBHOOK_SECRET, seconds, viewers, connectionId },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  delay.disable();
  clearInterval(sampler);
  perSecond.disable();
  const elapsed = (performance.now() - started) / 1000;

  const acks = [...result.latencies].sort((a, b) => a - b);
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`\n${total} operations, ${viewers} viewers searching for ${elapsed.toFixed(1)} s`);
  console.log(`searches answered: ${result.searchCount} (${(result.searchCount / elapsed).toFixed(0)}/s), failed: ${result.searchErrors}`);
  console.log(
    `webhook acks: ${acks.length} (not 202: ${result.failures})  p50 ${percentile(acks, 50).toFixed(1)} ms  p99 ${percentile(acks, 99).toFixed(1)} ms  max ${(acks.at(-1) ?? Number.NaN).toFixed(1)} ms`,
  );
  console.log(`event-loop delay: p50 ${ms(delay.percentile(50))} ms  p99 ${ms(delay.percentile(99))} ms  max (longest block) ${ms(delay.max)} ms`);
  const utilisation = performance.eventLoopUtilization(eventLoop).utilization;
  const cpuSeconds = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(cpu));
  console.log(
    `server event loop busy ${(utilisation * 100).toFixed(0)} % of the time; server process CPU ${(cpuSeconds / elapsed).toFixed(2)} cores (load included)`,
  );
  for (const [name, times] of Object.entries(storeTimes)) {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `store.${name}: ${sorted.length} calls  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`,
    );
  }
  console.log(`longest block per second (ms): ${secondMaxima.map((max) => max.toFixed(0)).join(' ')}`);
} finally {
  await stopConsole(consoleServer);
}
