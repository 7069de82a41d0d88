import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buildServer, type ConsoleServer } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const SIM_CLIENT_ID = 'fleetops-test';
export const SIM_CLIENT_SECRET = 'fleetops-test-client-secret';

export type RunningConsole = ConsoleServer & {
  url: string;
  /** Everything the server logged so far, one JSON line per entry. */
  logs(): string;
  close(): Promise<void>;
};

/** A free loopback port, so the console knows its own URL (for webhooks) before it listens. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A real console server on a loopback port with its own SQLite file in a temp dir.
 * `catenaUrl` is the simulator's base URL (or any URL, for tests that never reach Catena).
 */
export async function startConsole(options: {
  catenaUrl: string;
  clientId?: string;
  clientSecret?: string;
  /** Where Catena should deliver webhooks; defaults to this console. */
  publicUrl?: string;
  subscribe?: boolean;
  reconcile?: boolean;
  dispatch?: boolean;
  /** Keep the store in this folder (not removed on close), e.g. to restart on the same store. */
  dataDir?: string;
  webhookSecret?: string;
}): Promise<RunningConsole> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'fleetops-test-'));
  const logStream = new PassThrough();
  const chunks: Buffer[] = [];
  logStream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const port = await freePort();
  const config: Config = {
    port,
    host: '127.0.0.1',
    catenaApiUrl: options.catenaUrl,
    catenaAuthUrl: options.catenaUrl,
    catenaClientId: options.clientId ?? SIM_CLIENT_ID,
    catenaClientSecret: options.clientSecret ?? SIM_CLIENT_SECRET,
    webhookSecret: options.webhookSecret ?? TEST_WEBHOOK_SECRET,
    publicUrl: options.publicUrl ?? `http://127.0.0.1:${port}`,
    dataDir,
    reconcileIntervalMs: 60_000,
    directoryCacheMs: 60_000,
    staticDir: path.join(dataDir, 'no-spa'),
    logLevel: 'info',
  };
  const server = await buildServer(config, {
    logStream,
    subscribe: options.subscribe ?? false,
    reconcile: options.reconcile ?? false,
    dispatch: options.dispatch ?? false,
  });
  const url = await server.start();
  return {
    ...server,
    url,
    logs: () => Buffer.concat(chunks).toString('utf8'),
    async close() {
      await server.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
