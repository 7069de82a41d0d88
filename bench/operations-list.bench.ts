/**
 * Benchmark: GET /api/operations over a store of 100,000 operations, 50 a page, with the filters
 * the Operations page uses. Real server over loopback HTTP, real SQLite file.
 *
 *   npx tsx bench/operations-list.bench.ts [operations=100000] [requests-per-case=200]
 *
 * Prints p50/p95/p99 per case. Catena is not involved: the list is answered from the store.
 */
import { seedOperations } from './support/seed-operations.ts';
import { startConsole } from '../tests/support/console-server.ts';

const total = Number(process.argv[2] ?? 100_000);
const perCase = Number(process.argv[3] ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const consoleServer = await startConsole({ catenaUrl: 'http://127.0.0.1:9' });
try {
  const now = Date.now();
  const connections = seedOperations(consoleServer.store, consoleServer.db, total, now);

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
