import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, signIn, SIM_CLIENT_ID, SIM_CLIENT_SECRET, TEST_ADMIN, TEST_WEBHOOK_SECRET, type SignedIn } from './console-server.ts';
import { eventually } from './simulator.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What a console process keeps of its own log (stdout): enough for a test run, bounded all the same. */
const MAX_LOG_BYTES = 32 * 1024 * 1024;

export type ConsoleProcess = SignedIn & {
  url: string;
  port: number;
  /** Everything the process logged to stdout so far (pino JSON lines, at LOG_LEVEL). */
  logs(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * The console server in a process of its own, so a test can `kill -9` it mid-send and start
 * another on the same store — a real crash, not a simulated one. With `databaseUrl`, several such
 * processes share one PostgreSQL store, as several servers behind a load balancer do.
 */
export async function startConsoleProcess(options: {
  catenaUrl: string;
  /** The SQLite file's folder; without one (e.g. with `databaseUrl`) a temporary folder, removed once the process is gone. */
  dataDir?: string;
  port?: number;
  sendTimeoutSeconds?: number;
  landingWindowSeconds?: number;
  /** PostgreSQL, shared by several servers (DATABASE_URL); default the SQLite file in `dataDir`. */
  databaseUrl?: string;
  /** RECONCILE_INTERVAL_SECONDS; default an hour (no reconciler pass during a test). */
  reconcileIntervalSeconds?: number;
  /** Where Catena delivers webhooks (PUBLIC_URL), e.g. a load balancer in front of several servers; default this process. */
  publicUrl?: string;
  /** More environment, or overrides of the above (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
}): Promise<ConsoleProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'fleetops-process-'));
  const ownDataDir = options.dataDir ? null : dataDir;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: options.publicUrl ?? url,
      CATENA_API_URL: options.catenaUrl,
      CATENA_CLIENT_ID: SIM_CLIENT_ID,
      CATENA_CLIENT_SECRET: SIM_CLIENT_SECRET,
      CATENA_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      DATA_DIR: dataDir,
      STATIC_DIR: path.join(dataDir, 'no-spa'),
      CONSOLE_ADMIN_EMAIL: TEST_ADMIN.email,
      CONSOLE_ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: 'warn',
      SEND_TIMEOUT_SECONDS: String(options.sendTimeoutSeconds ?? 1),
      SEND_LANDING_WINDOW_SECONDS: String(options.landingWindowSeconds ?? 3),
      RECONCILE_INTERVAL_SECONDS: String(options.reconcileIntervalSeconds ?? 3600),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Always read stdout: a full pipe would stall the server on its next log line.
  const chunks: Buffer[] = [];
  let logged = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (logged >= MAX_LOG_BYTES) return;
    chunks.push(chunk);
    logged += chunk.length;
  });
  const removeOwnDataDir = () => {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  child.once('exit', removeOwnDataDir);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!alive()) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  try {
    // A process that exits (a bad environment, a failed start) fails the start at once, not after the wait.
    const exited = once(child, 'exit').then(([code, signal]: unknown[]) => {
      throw new Error(`console process exited with ${String(code ?? signal)} before it was ready (its stderr is above)`);
    });
    await Promise.race([
      exited,
      eventually(
        async () => {
          if (!alive()) return;
          const response = await fetch(`${url}/api/health/live`);
          if (!response.ok) throw new Error(`not ready: ${response.status}`);
        },
        30_000,
        100,
      ),
    ]);
    if (!alive()) await exited;
    const admin = await signIn(url, TEST_ADMIN.email, TEST_ADMIN.password);
    return {
      ...admin,
      url,
      port,
      logs: () => Buffer.concat(chunks).toString('utf8'),
      alive,
      kill,
    };
  } catch (error) {
    await kill();
    throw error;
  }
}
