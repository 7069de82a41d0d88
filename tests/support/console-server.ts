import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buildServer, type ConsoleServer } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export type RunningConsole = ConsoleServer & {
  url: string;
  /** Everything the server logged so far, one JSON line per entry. */
  logs(): string;
  close(): Promise<void>;
};

/**
 * A real console server on a loopback port with its own SQLite file in a temp dir.
 * `catenaUrl` is the simulator's base URL (or any URL, for tests that never reach Catena).
 */
export async function startConsole(options: {
  catenaUrl: string;
  clientId?: string;
  clientSecret?: string;
  publicUrl?: string;
  background?: boolean;
  reconcileIntervalMs?: number;
}): Promise<RunningConsole> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-test-'));
  const logStream = new PassThrough();
  const chunks: Buffer[] = [];
  logStream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    catenaApiUrl: options.catenaUrl,
    catenaAuthUrl: options.catenaUrl,
    catenaClientId: options.clientId ?? 'fleetops-demo',
    catenaClientSecret: options.clientSecret ?? 'fleetops-demo-secret',
    webhookSecret: TEST_WEBHOOK_SECRET,
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:0',
    dataDir,
    reconcileIntervalMs: options.reconcileIntervalMs ?? 60_000,
    directoryCacheMs: 60_000,
    staticDir: path.join(dataDir, 'no-spa'),
    logLevel: 'info',
  };
  const server = await buildServer(config, { logStream, background: options.background ?? false });
  const url = await server.start();
  return {
    ...server,
    url,
    logs: () => Buffer.concat(chunks).toString('utf8'),
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
