import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { freePort, signIn, SIM_CLIENT_ID, SIM_CLIENT_SECRET, TEST_ADMIN, TEST_WEBHOOK_SECRET, type SignedIn } from './console-server.ts';
import { eventually } from './simulator.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The console server in a process of its own, so a test can `kill -9` it mid-send and start
 * another on the same store — a real crash, not a simulated one.
 */
export async function startConsoleProcess(options: {
  catenaUrl: string;
  dataDir: string;
  port?: number;
  sendTimeoutSeconds?: number;
  landingWindowSeconds?: number;
}): Promise<SignedIn & { url: string; port: number; kill(signal?: NodeJS.Signals): Promise<void> }> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      CATENA_API_URL: options.catenaUrl,
      CATENA_CLIENT_ID: SIM_CLIENT_ID,
      CATENA_CLIENT_SECRET: SIM_CLIENT_SECRET,
      CATENA_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      DATA_DIR: options.dataDir,
      STATIC_DIR: path.join(options.dataDir, 'no-spa'),
      CONSOLE_ADMIN_EMAIL: TEST_ADMIN.email,
      CONSOLE_ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: 'warn',
      SEND_TIMEOUT_SECONDS: String(options.sendTimeoutSeconds ?? 1),
      SEND_LANDING_WINDOW_SECONDS: String(options.landingWindowSeconds ?? 3),
      RECONCILE_INTERVAL_SECONDS: '3600',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`console process exited with ${child.exitCode}`);
    const response = await fetch(`${url}/api/health/live`);
    if (!response.ok) throw new Error(`not ready: ${response.status}`);
  }, 30_000, 100);
  const admin = await signIn(url, TEST_ADMIN.email, TEST_ADMIN.password);
  return {
    ...admin,
    url,
    port,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
