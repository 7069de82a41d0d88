import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buildServer, type ConsoleServer } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import type { IncidentRules } from '../../server/incidents/incident-detector.ts';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const SIM_CLIENT_ID = 'fleetops-test';
export const SIM_CLIENT_SECRET = 'fleetops-test-client-secret';

export const TEST_ADMIN = { email: 'admin@console.test', password: 'test-admin-password-1' };

/** A signed-in browser, as far as the API is concerned: its session cookie and CSRF token. */
export type SignedIn = {
  cookie: string;
  csrfToken: string;
  /** fetch() against the console with this session (and the CSRF token on writes). */
  fetch(route: string, init?: RequestInit): Promise<Response>;
};

export async function signIn(consoleUrl: string, email: string, password: string): Promise<SignedIn> {
  const response = await fetch(`${consoleUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token: csrfToken } = (await response.json()) as { csrf_token: string };
  return {
    cookie,
    csrfToken,
    fetch(route, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      if (init.method && init.method !== 'GET') headers.set('x-csrf-token', csrfToken);
      return fetch(`${consoleUrl}${route}`, { ...init, headers });
    },
  };
}

export type RunningConsole = ConsoleServer & {
  url: string;
  /** fetch() as the test admin, signed in. */
  fetch(route: string, init?: RequestInit): Promise<Response>;
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
  /** Listen on this port (e.g. one a proxy already forwards to); default a free one. */
  port?: number;
  subscribe?: boolean;
  reconcile?: boolean;
  dispatch?: boolean;
  /** Keep the store in this folder (not removed on close), e.g. to restart on the same store. */
  dataDir?: string;
  webhookSecret?: string;
  /** A built SPA to serve. */
  staticDir?: string;
  /** Make the demo accounts of each role (as with the simulator). */
  demoAccounts?: boolean;
  /** A send's deadline, and how long after it a request may still land at Catena (decision 0020). */
  sendTimeoutMs?: number;
  landingWindowMs?: number;
  /** How long connections and users are cached (default a minute). */
  directoryCacheMs?: number;
  /** How often the webhook subscription is checked (and recreated when gone). */
  webhookCheckIntervalMs?: number;
  /** Take client addresses from X-Forwarded-For, so a test can sign in from several. */
  trustProxy?: boolean;
  /** Tighter timeouts or connection cap than the defaults, for tests of slow clients. */
  http?: Partial<Config['http']>;
  /** A PostgreSQL store (e.g. one shared by several servers) instead of a SQLite file. */
  databaseUrl?: string;
  /** How often the reconciler reads Catena's list (default a minute). */
  reconcileIntervalMs?: number;
  /** How often the leader lease is renewed or asked for (default a quarter of the reconcile interval). */
  leaseCheckMs?: number;
  /** How long a stopping server goes on answering (readiness 503) before it stops. */
  shutdownDrainMs?: number;
  /** How often a watched pending operation is read again from Catena (default 3 s). */
  liveRefreshMs?: number;
  /** Ask Catena after each quiet spell whether it answers (default off here: tests count their calls). */
  probe?: boolean;
  /** When provider incidents open and close, and how often the leader looks (tests: small and fast). */
  incidentRules?: Partial<IncidentRules>;
  /** The simulator's control API (…/_sim): demo mode on (decision 0047). */
  simulatorControlUrl?: string;
}): Promise<RunningConsole> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'fleetops-test-'));
  const logStream = new PassThrough();
  const chunks: Buffer[] = [];
  logStream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const port = options.port ?? (await freePort());
  const config: Config = {
    port,
    host: '127.0.0.1',
    catenaApiUrl: options.catenaUrl,
    catenaAuthUrl: options.catenaUrl,
    catenaClientId: options.clientId ?? SIM_CLIENT_ID,
    catenaClientSecret: options.clientSecret ?? SIM_CLIENT_SECRET,
    webhookSecret: options.webhookSecret ?? TEST_WEBHOOK_SECRET,
    publicUrl: options.publicUrl ?? `http://127.0.0.1:${port}`,
    allowedHosts: [],
    dataDir,
    databaseUrl: options.databaseUrl ?? null,
    reconcileIntervalMs: options.reconcileIntervalMs ?? 60_000,
    webhookCheckIntervalMs: options.webhookCheckIntervalMs ?? 60_000,
    directoryCacheMs: options.directoryCacheMs ?? 60_000,
    staticDir: options.staticDir ?? path.join(dataDir, 'no-spa'),
    logLevel: 'info',
    admin: TEST_ADMIN,
    demoAccounts: options.demoAccounts ?? false,
    session: { idleMs: 60 * 60_000, absoluteMs: 12 * 3_600_000 },
    trustProxy: options.trustProxy ?? false,
    sendTimeoutMs: options.sendTimeoutMs ?? 5_000,
    sendLandingWindowMs: options.landingWindowMs ?? 8_000,
    shutdownDrainMs: options.shutdownDrainMs ?? 0,
    stuckAfterMinutes: { default: 30, message: 10 },
    catenaMaxAttempts: 5,
    liveRefreshMs: options.liveRefreshMs ?? 3_000,
    simulatorControlUrl: options.simulatorControlUrl ?? null,
    http: {
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      connectionTimeoutMs: 120_000,
      keepAliveTimeoutMs: 10_000,
      maxConnectionsPerAddress: 0,
      ...options.http,
    },
  };
  const server = await buildServer(config, {
    logStream,
    subscribe: options.subscribe ?? false,
    reconcile: options.reconcile ?? false,
    dispatch: options.dispatch ?? false,
    probe: options.probe ?? false,
    ...(options.leaseCheckMs ? { leaseCheckMs: options.leaseCheckMs } : {}),
    ...(options.incidentRules ? { incidentRules: options.incidentRules } : {}),
  });
  const url = await server.start();
  const admin = await signIn(url, TEST_ADMIN.email, TEST_ADMIN.password);
  return {
    ...server,
    url,
    fetch: admin.fetch,
    logs: () => Buffer.concat(chunks).toString('utf8'),
    async close() {
      await server.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
