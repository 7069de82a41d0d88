/**
 * Benchmark: the Operations page in Chromium with 2,000 operations loaded.
 *
 *   npx tsx bench/operations-scroll.bench.ts [--rows 2000] [--no-build] [--url http://localhost:8080]
 *
 * Without --url it builds the SPA (`vite build`, into a folder of its own so a build running
 * elsewhere in the tree cannot swap the assets under it; `--no-build` serves ./dist instead),
 * starts the real stack (scripts/start.ts: the console server and the simulator with a large
 * fleet at a small time scale) on ports of its own with an empty store, and stops it at the end.
 * With --url it uses a console that is already running (sign-in with BENCH_EMAIL /
 * BENCH_PASSWORD, the demo admin by default).
 *
 * It fills the store through the public API only (one broadcast to the large fleet's drivers, or
 * single messages where there is no such fleet), opens /operations, and measures
 *   (a) the time from navigation to the first rows on screen, and
 *   (b) while scrolling programmatically through every loaded row (100 px a frame, a fast wheel),
 *       the longest frame and the frames over 50 ms (requestAnimationFrame deltas), plus Chromium's
 *       long animation frames (PerformanceObserver 'long-animation-frame').
 * Live polling stays on (every 5 s), as a reader would have it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, request as playwrightRequest, type APIRequestContext } from '@playwright/test';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const rows = Number(argument('rows') ?? 2000);
const externalUrl = argument('url');
const email = process.env.BENCH_EMAIL ?? 'admin@fleetops.demo';
const password = process.env.BENCH_PASSWORD ?? 'demo-admin-password';
const PORT = 18380;
const SIM_PORT = 18390;
const baseUrl = externalUrl ?? `http://localhost:${PORT}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function build(): string {
  if (process.argv.includes('--no-build')) return './dist';
  const outDir = join(mkdtempSync(join(tmpdir(), 'fleet-ops-scroll-bench-dist-')), 'dist');
  console.log(`building the SPA into ${outDir}`);
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  return outDir;
}

function startStack(staticDir: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      PORT: String(PORT),
      SIMULATOR_PORT: String(SIM_PORT),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'fleet-ops-scroll-bench-')),
      STATIC_DIR: staticDir,
      CATENA_API_URL: '',
      SIMULATOR_TIME_SCALE: '0.05',
      SIMULATOR_API_RATE_LIMIT: '2000',
      SIMULATOR_LARGE_FLEET_DRIVERS: String(rows),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  return child;
}

async function stopStack(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
}

async function json<T>(api: APIRequestContext, path: string): Promise<T> {
  const response = await api.get(path);
  if (!response.ok()) throw new Error(`GET ${path}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

type Named = { id: string; name: string };
type User = Named & { role: string; is_active: boolean };

async function operationsInView(api: APIRequestContext): Promise<number> {
  const from = new Date(Date.now() - 24 * 3_600_000).toISOString();
  const summary = await json<{ total: number }>(api, `/api/operations/summary?from=${encodeURIComponent(from)}`);
  return summary.total;
}

/** Enough operations in the default view (the last 24 hours), through the public API. */
async function fill(api: APIRequestContext, csrf: string): Promise<void> {
  const have = await operationsInView(api);
  if (have >= rows) return;
  const needed = rows - have + 20;
  const connections = (await json<{ items: (Named & { can_send: boolean })[] }>(api, '/api/connections')).items;
  const text = `Scroll bench ${new Date().toISOString()}: please confirm your ETA at the next stop`;
  const headers = { 'x-csrf-token': csrf };

  for (const connection of connections.filter((c) => c.can_send)) {
    const users = (await json<{ items: User[] }>(api, `/api/users?connection_id=${connection.id}`)).items;
    const sender = users.find((user) => user.role === 'dispatcher' && user.is_active);
    const drivers = users.filter((user) => user.role === 'driver' && user.is_active);
    if (!sender || drivers.length < needed) continue;
    const response = await api.post('/api/broadcasts', {
      headers: { ...headers, 'idempotency-key': `scroll-bench-${Date.now()}` },
      data: { connection_id: connection.id, sender_id: sender.id, recipient_ids: drivers.slice(0, needed).map((d) => d.id), message_text: text },
    });
    if (!response.ok()) throw new Error(`POST /api/broadcasts: HTTP ${response.status()} ${await response.text()}`);
    console.log(`filling: one broadcast to ${needed} drivers of ${connection.name}`);
    await waitFor(`${rows} operations in the store`, 180_000, async () => ((await operationsInView(api)) >= rows ? true : null));
    return;
  }

  // No fleet large enough: single messages, a few at a time, to the drivers there are.
  const pairs: { connection: string; sender: string; recipient: string }[] = [];
  for (const connection of connections.filter((c) => c.can_send)) {
    const users = (await json<{ items: User[] }>(api, `/api/users?connection_id=${connection.id}`)).items;
    const sender = users.find((user) => user.role === 'dispatcher' && user.is_active);
    for (const driver of users.filter((user) => user.role === 'driver' && user.is_active)) {
      if (sender) pairs.push({ connection: connection.id, sender: sender.id, recipient: driver.id });
    }
  }
  if (pairs.length === 0) throw new Error('no connection can send messages');
  console.log(`filling: ${needed} single messages`);
  let next = 0;
  const worker = async () => {
    while (next < needed) {
      const index = next++;
      const pair = pairs[index % pairs.length];
      if (!pair) break;
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await api.post('/api/messages', {
          headers: { ...headers, 'idempotency-key': `scroll-bench-${Date.now()}-${index}` },
          data: { connection_id: pair.connection, sender_id: pair.sender, recipient_id: pair.recipient, message_text: `${text} (#${index})` },
        });
        if (response.ok()) break;
        await sleep(500 * (attempt + 1));
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await waitFor(`${rows} operations in the store`, 120_000, async () => ((await operationsInView(api)) >= rows ? true : null));
}

/**
 * Runs in the page (a string: this file is compiled for Node, without DOM types): scrolls the
 * table's scroll area 100 px a frame to the end, recording every frame's duration and Chromium's
 * long animation frames.
 */
const SCROLL_THROUGH = `new Promise((resolve) => {
  const element = document.querySelector('table[aria-rowcount]').parentElement;
  const loaf = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) loaf.push(entry.duration); });
    observer.observe({ type: 'long-animation-frame', buffered: false });
  } catch { observer = null; }
  const deltas = [];
  const end = element.scrollHeight - element.clientHeight;
  let last = 0;
  const frame = (now) => {
    deltas.push(now - last);
    last = now;
    if (element.scrollTop >= end - 1) {
      observer?.disconnect();
      resolve({ deltas, loaf, distance: end, renderedRows: element.querySelectorAll('tbody tr[data-row-id]').length });
      return;
    }
    element.scrollTop = Math.min(element.scrollTop + 100, end);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(frame); });
})`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const stack = externalUrl ? null : startStack(build());
try {
  await waitFor('the console', 90_000, async () => ((await fetch(`${baseUrl}/api/health/live`)).ok ? true : null));

  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  const signIn = await api.post('/api/session', { data: { email, password } });
  if (!signIn.ok()) throw new Error(`sign-in failed: HTTP ${signIn.status()} ${await signIn.text()}`);
  const { csrf_token: csrf } = (await signIn.json()) as { csrf_token: string };
  const fillStarted = performance.now();
  await fill(api, csrf);
  console.log(
    `store: ${await operationsInView(api)} operations in the last 24 h (filled in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s)`,
  );

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, storageState: await api.storageState() });
  const page = await context.newPage();

  // (a) navigation → first rows on screen. performance.now() in the page counts from navigation start.
  await page.goto(`${baseUrl}/operations`, { waitUntil: 'commit' });
  await page
    .locator('tbody tr[data-row-id]')
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 })
    .catch(async (error: unknown) => {
      const shot = join(tmpdir(), 'operations-scroll-bench-failure.png');
      await page.screenshot({ path: shot });
      console.error(`no rows on ${page.url()}; screenshot: ${shot}`);
      throw error;
    });
  const firstRowsMs = await page.evaluate(() => performance.now());
  const paint = (await page.evaluate(
    `performance.getEntriesByType('paint').map((entry) => entry.name + ' ' + entry.startTime.toFixed(0) + ' ms')`,
  )) as string[];
  await page.mouse.move(0, 0);

  // Load pages until `rows` rows are loaded (the list asks for the next page near its end).
  const scrollArea = page.locator('div:has(> table[aria-rowcount])');
  const loadStarted = performance.now();
  const loaded = await waitFor(`${rows} loaded rows`, 120_000, async () => {
    const count = await scrollArea.evaluate((element) => {
      element.scrollTop = element.scrollHeight;
      return Number(element.querySelector('tbody tr[data-row-id]:last-of-type')?.getAttribute('aria-rowindex') ?? 0) - 1;
    });
    return count >= rows ? count : null;
  });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  await scrollArea.evaluate((element) => {
    element.scrollTop = 0;
  });
  await sleep(500);

  // (b) scroll through every loaded row, 100 px a frame, recording frame times.
  const result = (await page.evaluate(SCROLL_THROUGH)) as { deltas: number[]; loaf: number[]; distance: number; renderedRows: number };

  const sorted = [...result.deltas].sort((a, b) => a - b);
  const total = result.deltas.reduce((a, b) => a + b, 0);
  console.log('');
  console.log(`Operations page, ${loaded} rows loaded, Chromium ${browser.version()} headless, 1440×900`);
  console.log(`(a) navigation → first rows visible:   ${firstRowsMs.toFixed(0)} ms   (${paint.join(', ')})`);
  console.log(`    pages loaded by scrolling to ${loaded} rows: ${loadSeconds.toFixed(1)} s`);
  console.log(`(b) scrolled ${Math.round(result.distance).toLocaleString()} px in ${result.deltas.length} frames, ${(total / 1000).toFixed(1)} s`);
  console.log(`    rows in the DOM while scrolling:  ${result.renderedRows} (of ${loaded})`);
  console.log(
    `    frame time p50 / p95 / p99:        ${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 95).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)} ms`,
  );
  console.log(`    longest frame:                     ${(sorted.at(-1) ?? 0).toFixed(1)} ms`);
  console.log(`    frames over 50 ms:                 ${result.deltas.filter((d) => d > 50).length}`);
  console.log(
    `    long animation frames (LoAF):      ${result.loaf.length}${result.loaf.length ? `, longest ${Math.max(...result.loaf).toFixed(0)} ms` : ''}`,
  );

  await browser.close();
  await api.dispose();
} finally {
  if (stack) await stopStack(stack);
}
