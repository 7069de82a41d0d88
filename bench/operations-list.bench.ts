/**
 * Benchmark: GET /api/operations over a store of 100,000 operations, 50 a page, with the filters
 * the Operations page uses, on SQLite and on PostgreSQL in one run. Real server over loopback
 * HTTP; the store is seeded once and copied, so both engines answer over the same rows
 * (bench/support/engines.ts says how PostgreSQL is obtained).
 *
 *   npx tsx bench/operations-list.bench.ts [operations=100000] [requests-per-case=200]
 *
 * Prints p50/p95 per case and engine, and PostgreSQL's p95 as a multiple of SQLite's (p99 below).
 * Catena is not involved: the list is answered from the store. Asserts nothing about time.
 */
import { randomUUID } from 'node:crypto';
import type { OperationWithLogs } from '../contracts/operation-schemas.ts';
import type { Engine } from '../server/db/dialect.ts';
import type { RunningConsole } from '../tests/support/console-server.ts';
import { reportFigures } from './support/report.ts';
import { ENGINE_LABELS, formatTable, percentile, seedBothEngines, stopConsole } from './support/engines.ts';

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
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('nothing to pick from');
  return item;
};

// Records other systems write: vehicles (with a VIN and plate) and drivers, named in the store as the directory would name them.
const vehicles = Array.from({ length: 300 }, (_, i) => ({
  id: randomUUID(),
  name: `Unit ${1000 + i}`,
  vin: `1FTFW1E5${String(i).padStart(9, '0')}`,
  plate: `${i % 9}ABC${String(i).padStart(3, '0')}`,
}));
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
    return {
      resource: 'vehicle',
      operation_type: 'update',
      resource_id: vehicle.id,
      source_id: `28147${index}`,
      payload: { vin: vehicle.vin, license_plate_number: vehicle.plate, status: 'IN_SERVICE' },
    };
  }
  if (index % 10 === 1) {
    return {
      resource: 'fuel_transaction',
      operation_type: 'create',
      resource_id: null,
      source_id: null,
      payload: { driver_id: pick(drivers).id, vehicle_id: vehicle.id, fuel_volume: 100, fuel_volume_unit: 'US_GALLON' },
    };
  }
  return {
    resource: 'message',
    operation_type: 'create',
    resource_id: status === 'success' ? randomUUID() : null,
    source_id: status === 'success' ? `msg-${index}` : null,
    payload: { message_text: Array.from({ length: 8 }, () => pick(words)).join(' '), recipient_id: pick(drivers).id, sender_id: randomUUID() },
  };
}

const now = Date.now();
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

type Figures = { p50: number; p95: number; p99: number; rows: number | undefined };

/** Every case in turn: ten requests to warm caches, then `perCase` timed ones, every other following the cursor as scrolling does. */
async function measure(server: RunningConsole): Promise<Map<string, Figures>> {
  const figures = new Map<string, Figures>();
  for (const [name, query] of cases) {
    const path = query.startsWith('__summary__')
      ? `/api/operations/summary?${query.slice(11)}`
      : query.startsWith('__facets__')
        ? `/api/operations/facets?${query.slice(10)}`
        : query.startsWith('__timeline__')
          ? `/api/operations/timeline?${query.slice(12)}`
          : `/api/operations?limit=50&${query}`;
    const timings: number[] = [];
    let rows: number | undefined;
    let cursor: string | null = null;
    for (let i = 0; i < perCase + 10; i += 1) {
      const url = `${path}${cursor && i % 2 === 1 ? `&cursor=${cursor}` : ''}`;
      const started = performance.now();
      const response = await server.fetch(url);
      const body = (await response.json()) as { items?: unknown[]; next_cursor?: string | null };
      const elapsed = performance.now() - started;
      if (!response.ok) throw new Error(`${name}: ${response.status} ${JSON.stringify(body)}`);
      if (i >= 10) timings.push(elapsed);
      if (i === 0) rows = body.items?.length; // the first page: the same on both engines
      cursor = body.next_cursor ?? null;
    }
    timings.sort((a, b) => a - b);
    figures.set(name, { p50: percentile(timings, 50), p95: percentile(timings, 95), p99: percentile(timings, 99), rows });
  }
  return figures;
}

const seeded = await seedBothEngines(async (server) => {
  const seedStart = performance.now();
  for (let done = 0; done < total; done += 5000) {
    await server.store.upsertMany(
      Array.from({ length: Math.min(5000, total - done) }, (_, i) => makeOperation(done + i, now)),
      'reconciler',
    );
  }
  await server.store.rememberNames([
    ...vehicles.map((v) => ({ id: v.id, kind: 'vehicle' as const, connection_id: pick(connections), name: v.name })),
    ...drivers.map((d) => ({ id: d.id, kind: 'user' as const, connection_id: pick(connections), name: d.name })),
  ]);
  console.log(`seeded ${total} operations in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
});
const results = new Map<Engine, Map<string, Figures>>();
try {
  for (const { engine, start } of seeded.engines) {
    const server = await start();
    try {
      const started = performance.now();
      results.set(engine, await measure(server));
      console.log(`${ENGINE_LABELS[engine]}: ${cases.length} cases × ${perCase} requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await stopConsole(server);
    }
  }
} finally {
  await seeded.dispose();
}

const ms = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(2));
const sqlite = results.get('sqlite');
const postgres = results.get('postgres');
const rowsOf = (name: string) => {
  const [a, b] = [sqlite?.get(name)?.rows, postgres?.get(name)?.rows];
  return a === b ? String(a ?? '–') : `${a} vs ${b}`;
};
console.log(`\nGET /api/operations and friends, ${total} operations, ${perCase} requests per case (ms; ratio = PostgreSQL p95 / SQLite p95)\n`);
console.log(
  formatTable(
    ['case', 'SQLite p50', 'SQLite p95', 'PG p50', 'PG p95', 'ratio', 'rows'],
    cases.map(([name]) => {
      const [a, b] = [sqlite?.get(name), postgres?.get(name)];
      return [name, ms(a?.p50), ms(a?.p95), ms(b?.p50), ms(b?.p95), a && b ? `${(b.p95 / a.p95).toFixed(2)}×` : '–', rowsOf(name)];
    }),
  ),
);
console.log(`\np99 (ms)\n`);
console.log(
  formatTable(
    ['case', 'SQLite p99', 'PG p99'],
    cases.map(([name]) => [name, ms(sqlite?.get(name)?.p99), ms(postgres?.get(name)?.p99)]),
  ),
);
const slowest = Math.max(...[...(postgres?.values() ?? [])].map((f) => f.p95));
console.log(`\nPostgreSQL's slowest p95: ${slowest.toFixed(2)} ms (target: under 20 ms for every case)`);
reportFigures(
  'operations-list',
  [...results].flatMap(([engine, figures]) =>
    [...figures].map(([name, f]) => ({
      what: `p95 ${name}, ${ENGINE_LABELS[engine]}, ${total.toLocaleString('en')} operations`,
      value: Number(f.p95.toFixed(2)),
      unit: 'ms',
      target: { max: 20 },
    })),
  ),
);
