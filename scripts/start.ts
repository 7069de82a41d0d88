/**
 * `npm start`: runs the console server, and before it the built-in Catena simulator unless
 * CATENA_API_URL points at a real Catena. Server and simulator are separate processes that speak
 * HTTP only, exactly as with real Catena.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const children: ChildProcess[] = [];
let exiting = false;

function run(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (exiting) return;
    console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the console.`);
    void stopAll(code ?? 1);
  });
  return child;
}

async function stopAll(code: number): Promise<never> {
  exiting = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
  process.exit(code);
}

/** Echoes a child's output and resolves when a line matches `ready`. */
function waitForLine(child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${ready.source}" within ${timeoutMs / 1000} s`)), timeoutMs);
    if (!child.stdout) return reject(new Error('no output to watch'));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      process.stdout.write(`${line}\n`);
      if (ready.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const env = { ...process.env };
if (!env.CATENA_API_URL) {
  const port = env.SIMULATOR_PORT ?? '8090';
  const clientId = env.SIMULATOR_CLIENT_ID ?? 'fleetops-demo';
  const clientSecret = env.SIMULATOR_CLIENT_SECRET ?? 'fleetops-demo-secret';
  const simulator = run('The simulator', 'simulator/main.ts', {
    ...env,
    SIMULATOR_HOST: '127.0.0.1',
    SIMULATOR_PORT: port,
    SIMULATOR_CLIENT_ID: clientId,
    SIMULATOR_CLIENT_SECRET: clientSecret,
  });
  try {
    await waitForLine(simulator, /Simulator listening on/, 30_000);
  } catch (error) {
    console.error(`The simulator did not start: ${(error as Error).message}. Is port ${port} free? Set SIMULATOR_PORT to use another.`);
    await stopAll(1);
  }
  Object.assign(env, {
    // The demo lists its passwords on the sign-in page: by default only this machine reaches it.
    HOST: env.HOST ?? '127.0.0.1',
    // With the simulator, the demo accounts of every role exist (the sign-in page lists them).
    CONSOLE_DEMO_ACCOUNTS: env.CONSOLE_DEMO_ACCOUNTS ?? 'true',
    CATENA_API_URL: `http://127.0.0.1:${port}`,
    CATENA_AUTH_URL: `http://127.0.0.1:${port}`,
    CATENA_CLIENT_ID: clientId,
    CATENA_CLIENT_SECRET: clientSecret,
    // The upstream is this simulator: the console offers admins its Demo page (decision 0047).
    SIMULATOR_CONTROL_URL: `http://127.0.0.1:${port}/_sim`,
  });
}

const server = run('The console server', 'server/main.ts', env);
await waitForLine(server, /Fleet Ops Console is running at/, 60_000).catch(async (error: Error) => {
  console.error(`The console server did not start: ${error.message}.`);
  await stopAll(1);
});
