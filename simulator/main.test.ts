import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The entry point as the launcher runs it: a child process that prints its URL when ready. */

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [TSX, MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe.concurrent('simulator/main.ts', () => {
  it('prints "Simulator listening on <url>", serves, and exits 0 on SIGTERM', async () => {
    const proc = run({ SIMULATOR_PORT: '0', SIMULATOR_HOST: '127.0.0.1', SIMULATOR_SEED_HISTORY: 'false', SIMULATOR_TIME_SCALE: '0.1' });
    const deadline = Date.now() + 20_000;
    while (!/Simulator listening on (http:\/\/\S+)/.test(proc.out()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /Simulator listening on (http:\/\/\S+)/.exec(proc.out())?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const state = (await (await fetch(`${url}/_sim/state`)).json()) as { time_scale: number };
    expect(state.time_scale).toBe(0.1);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('refuses bad environment values with a clear message and exit code 1', async () => {
    const proc = run({ SIMULATOR_PORT: 'eighty', SIMULATOR_SEED_HISTORY: 'yes', SIMULATOR_TIME_SCALE: '-2' });
    expect(await proc.exited).toBe(1);
    expect(proc.err()).toContain('SIMULATOR_PORT');
    expect(proc.err()).toContain('SIMULATOR_SEED_HISTORY');
    expect(proc.err()).toContain('SIMULATOR_TIME_SCALE');
  });
});
