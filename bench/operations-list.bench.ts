/**
 * Benchmark: GET /api/operations over a store of 100,000 operations, 50 a page, with the filters
 * the Operations page uses. Real server over loopback HTTP, real SQLite file.
 *
 *   npx tsx bench/operations-list.bench.ts [operations=100000] [requests-per-case=200]
 *
 * Prints p50/p95/p99 per case. Catena is not involved: the list is answered from the store.
 */
import { randomUUID } from 'node:crypto';
import type { OperationWithLogs } from '../contracts/operation-schemas.ts';
import { startConsole } from '../tests/support/console-server.ts';

const total = Number(process.argv[2] ?? 100_000);
const perCase = Number(process.argv[3] ?? 200);

const connections = Array.from({ length: 6 }, () => randomUUID());
// A dispatcher's vocabulary: a few hundred words, some far more common than others.
const common = 'please the at to for your and is on load dock gate'.split(' ');
const rare = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`).concat(
  'delivery code trailer reefer pickup route detour weather fuel stop inspection yard customer late early appointment'.split(' '),
);
const words = [...common, ...common, ...rare];
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
};

// Records other systems write: vehicles (with a VIN and plate) and drivers, named in the store as the directory would name them.
const vehicles = Array.from({ length: 300 }, (_, i) => ({ id: randomUUID(), name: `Unit ${1000 + i}`, vin: `1FTFW1E5${String(i).padStart(9, '0')}`, plate: `${i % 9}ABC${String(i).padStart(3, '0')}` }));
const drivers = Array.from({ length: 400 }, (_, i) => ({ id: randomUUID(), name: `Driver${i.toString(36)} Lastname${(i * 7).toString(36)}` }));

function makeOperation(index: number, now: number): OperationWithLogs {
  const created = new Date(now - Math.floor(random() * 7 * 24 * 3600 * 1000));
  const roll = random();
  const status = roll < 0.85 ? 'success' : roll < 0.95 ? 'failed' : 'pending';
  const errorType = status === 'failed' ? pick(['auth', 'validation', 'network', 'tsp'] as const) : roll > 0.8 && roll < 0.85 ? 'network' : null;
  const id = randomUUID();
  return {
    id,
    created_at: created.toISOString(),
    updated_at: new Date(created.getTime() + 2000).toISOString(),
    partner_id: pick(connections),
    connection_id: pick(connections),
    fleet_ref: null,
    source_name: pick(['samsara', 'motive', 'geotab']),
    ...recordOf(index, status),
    status,
    attempt_count: errorType ? 3 : 1,
    last_error_type: errorType,
    logs: [],
  };
}

function recordOf(index: number, status: string): Pick<OperationWithLogs, 'resource' | 'resource_id' | 'source_id' | 'operation_type' | 'payload'> {
  const vehicle = pick(vehicles);
  if (index % 10 === 0) {
    return { resource: 'vehicle', operation_type: 'update', resource_id: vehicle.id, source_id: `28147${index}`, payload: { vin: vehicle.vin, license_plate_number: vehicle.plate, status: 'IN_SERVICE' } };
  }
  if (index % 10 === 1) {
    return { resource: 'fuel_transaction', operation_type: 'create', resource_id: null, source_id: null, payload: { driver_id: pick(drivers).id, vehicle_id: vehicle.id, fuel_volume: 100, fuel_volume_unit: 'US_GALLON' } };
  }
  return {
    resource: 'message',
    operation_type: 'create',
    resource_id: status === 'success' ? randomUUID() : null,
    source_id: status === 'success' ? `msg-${index}` : null,
    payload: { message_text: Array.from({ length: 8 }, () => pick(words)).join(' '), recipient_id: pick(drivers).id, sender_id: randomUUID() },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const consoleServer = await startConsole({ catenaUrl: 'http://127.0.0.1:9' });
try {
  const now = Date.now();
  const seedStart = performance.now();
  for (let done = 0; done < total; done += 5000) {
    await consoleServer.store.upsertMany(
      Array.from({ length: Math.min(5000, total - done) }, (_, i) => makeOperation(done + i, now)),
      'reconciler',
    );
  }
  await consoleServer.store.rememberNames([
    ...vehicles.map((v) => ({ id: v.id, kind: 'vehicle' as const, connection_id: pick(connections), name: v.name })),
    ...drivers.map((d) => ({ id: d.id, kind: 'user' as const, connection_id: pick(connections), name: d.name })),
  ]);
  await consoleServer.database.dialect.optimize(consoleServer.database.db);
  console.log(`seeded ${total} operations in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const dayAgo = new Date(now - 24 * 3600 * 1000).toISOString();
  const cases: [string, string][] = [
    ['no filter (newest 50)', ''],
    ['one connection', `connection_id=${connections[1]}`],
    ['two connections + failed', `connection_id=${connections[1]}&connection_id=${connections[2]}&status=failed`],
    ['failed + auth, last 24 h', `status=failed&error_type=auth&from=${dayAgo}`],
    ['resource=message, pending', 'resource=message&status=pending'],
    ['search a word', 'q=reefer'],
    ['search two words', 'q=reefer%20late'],
    ['search id', `q=msg-4242`],
    ['search a vehicle by name', `q=${encodeURIComponent('Unit 1042')}`],
    ['search a driver by name', `q=${encodeURIComponent(drivers[7]?.name ?? '')}`],
    ['search id prefix (8 chars)', `q=${vehicles[3]?.id.slice(0, 8)}`],
    ['search field vin:1FTFW1E5000000', 'q=vin:1FTFW1E5000000'],
    ['search field plate:3ABC0', 'q=license_plate_number:3ABC0'],
    ['facets, last 24 h', `__facets__from=${dayAgo}`],
    ['sorted by updated', 'sort=updated_at'],
    ['summary, one connection', `__summary__connection_id=${connections[3]}`],
    ['summary, last 24 h', `__summary__from=${dayAgo}`],
    ['summary, everything', '__summary__'],
    ['timeline 7 days, 48 buckets', `__timeline__from=${new Date(now - 7 * 24 * 3600 * 1000).toISOString()}&to=${new Date(now).toISOString()}`],
  ];

  console.log(`\n${'case'.padEnd(32)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  rows`);
  for (const [name, query] of cases) {
    const path = query.startsWith('__summary__')
      ? `/api/operations/summary?${query.slice(11)}`
      : query.startsWith('__facets__')
        ? `/api/operations/facets?${query.slice(10)}`
        : query.startsWith('__timeline__')
          ? `/api/operations/timeline?${query.slice(12)}`
          : `/api/operations?limit=50&${query}`;
    const timings: number[] = [];
    let rows = 0;
    let cursor: string | null = null;
    for (let i = 0; i < perCase + 10; i += 1) {
      // Every other request follows the cursor, as scrolling does.
      const url = `${path}${cursor && i % 2 === 1 ? `&cursor=${cursor}` : ''}`;
      const started = performance.now();
      const response = await consoleServer.fetch(url);
      const body = (await response.json()) as { items?: unknown[]; next_cursor?: string | null };
      const elapsed = performance.now() - started;
      if (!response.ok) throw new Error(`${name}: ${response.status} ${JSON.stringify(body)}`);
      if (i >= 10) timings.push(elapsed); // the first ten warm caches up
      rows = body.items?.length ?? rows;
      cursor = body.next_cursor ?? null;
    }
    timings.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(32)} ${percentile(timings, 50).toFixed(2).padStart(8)} ${percentile(timings, 95).toFixed(2).padStart(8)} ${percentile(timings, 99).toFixed(2).padStart(8)}  ${rows}`,
    );
  }
} finally {
  await consoleServer.close();
}
