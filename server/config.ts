import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, ensurePrivateFile } from './db/data-files.ts';
import type { HttpLimits } from './http/connection-limits.ts';
import { DEFAULT_STUCK_AFTER_MINUTES, parseStuckThresholds, type StuckThresholds } from './operations/stuck-work.ts';

/**
 * The server's environment, checked once at start. Anything wrong stops the server with a
 * message naming the variable and what it should be (house style #13).
 */
const optionalUrl = (name: string) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` }).optional())
    .optional();

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    HOST: z.string().default('0.0.0.0'),
    CATENA_API_URL: optionalUrl('CATENA_API_URL'),
    CATENA_AUTH_URL: optionalUrl('CATENA_AUTH_URL'),
    CATENA_CLIENT_ID: z.string().trim().min(1).optional(),
    CATENA_CLIENT_SECRET: z.string().min(1).optional(),
    // Set by `npm start` when it runs the simulator: turns demo mode on (decision 0047).
    SIMULATOR_CONTROL_URL: optionalUrl('SIMULATOR_CONTROL_URL'),
    CATENA_WEBHOOK_SECRET: z.string().min(12, 'CATENA_WEBHOOK_SECRET must have at least 12 characters (Catena requires it)').optional(),
    PUBLIC_URL: optionalUrl('PUBLIC_URL'),
    ALLOWED_HOSTS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name.length > 0),
      )
      .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/, 'ALLOWED_HOSTS lists host names (no scheme, no port), separated by commas'))),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .trim()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(
        z
          .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL (leave it unset for the SQLite file in DATA_DIR)' })
          .optional(),
      )
      .optional(),
    RECONCILE_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(30),
    WEBHOOK_CHECK_INTERVAL_SECONDS: z.coerce
      .number()
      .min(1)
      .max(24 * 3600)
      .default(300),
    DIRECTORY_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(60),
    STATIC_DIR: z.string().min(1).default('./dist'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CONSOLE_ADMIN_EMAIL: z.string().trim().toLowerCase().email('CONSOLE_ADMIN_EMAIL must be an email address').optional(),
    CONSOLE_ADMIN_PASSWORD: z.string().min(12, 'CONSOLE_ADMIN_PASSWORD must have at least 12 characters').optional(),
    CONSOLE_DEMO_ACCOUNTS: z.enum(['true', 'false']).default('false'),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .min(1)
      .max(24 * 60)
      .default(120),
    SESSION_MAX_HOURS: z.coerce
      .number()
      .min(1)
      .max(24 * 30)
      .default(12),
    TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    SEND_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(15),
    SEND_LANDING_WINDOW_SECONDS: z.coerce.number().min(0.2).max(3600).default(60),
    REQUEST_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(30),
    KEEP_ALIVE_SECONDS: z.coerce.number().min(1).max(600).default(10),
    MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(0).max(100_000).optional(),
    SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(120).default(0),
    STUCK_AFTER_MINUTES: z
      .string()
      .optional()
      .transform((value, context) => {
        const parsed = parseStuckThresholds(value);
        if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
        return typeof parsed === 'string' ? DEFAULT_STUCK_AFTER_MINUTES : parsed;
      }),
    // Catena does not document its retry policy; 5 is the simulator's (REFERENCE.md). `unknown`: say none.
    CATENA_MAX_ATTEMPTS: z
      .union([z.literal('unknown'), z.coerce.number().int().min(1).max(100)], {
        error: 'CATENA_MAX_ATTEMPTS must be a whole number of attempts (1–100) or "unknown"',
      })
      .default(5),
    LIVE_REFRESH_SECONDS: z.coerce.number().min(0.5).max(60).default(3),
  })
  .refine((e) => e.SEND_LANDING_WINDOW_SECONDS > e.SEND_TIMEOUT_SECONDS, {
    message: 'must be longer than SEND_TIMEOUT_SECONDS: a request may still land at Catena until then',
    path: ['SEND_LANDING_WINDOW_SECONDS'],
  });

export type Config = {
  port: number;
  host: string;
  catenaApiUrl: string;
  catenaAuthUrl: string;
  catenaClientId: string;
  catenaClientSecret: string;
  webhookSecret: string;
  publicUrl: string;
  /** Host names answered to besides PUBLIC_URL's (and the loopback names when listening on loopback). */
  allowedHosts: string[];
  dataDir: string;
  /** PostgreSQL, shared by several servers; null: the SQLite file in `dataDir`. Holds credentials: never logged. */
  databaseUrl: string | null;
  reconcileIntervalMs: number;
  /** How often the console checks that its webhook subscription still exists at Catena (and recreates it). */
  webhookCheckIntervalMs: number;
  directoryCacheMs: number;
  staticDir: string;
  logLevel: string;
  admin: { email: string; password: string } | null;
  demoAccounts: boolean;
  session: { idleMs: number; absoluteMs: number };
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (sign-in limits, audit). */
  trustProxy: boolean;
  /** One deadline for a whole send: the checks, the directory and Catena's answer together. */
  sendTimeoutMs: number;
  /** After this, a request that left can no longer land at Catena: a send in doubt is settled then (decision 0020). */
  sendLandingWindowMs: number;
  /** Timeouts and the per-address connection cap that keep slow or greedy clients from holding sockets. */
  http: HttpLimits;
  /** On SIGTERM, how long the server goes on answering (readiness 503) before it stops: a balancer's active checks drain it meanwhile. */
  shutdownDrainMs: number;
  /** When a pending operation counts as stuck, in minutes per resource (`default` for the rest). */
  stuckAfterMinutes: StuckThresholds;
  /** Catena's most attempts at one operation as far as the console knows, for words only ("attempt 3 of 5"); null: unknown. */
  catenaMaxAttempts: number | null;
  /** How often a watched pending operation is read again from Catena, at most, by all servers together. */
  liveRefreshMs: number;
  /** The simulator's control API (…/_sim) when the upstream is the simulator: demo mode; absent or null with real Catena (decision 0047). */
  simulatorControlUrl?: string | null;
};

export class ConfigError extends Error {}

/** Reads and checks the environment. Throws ConfigError with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`The console server cannot start; fix its environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const missing = [
    !e.CATENA_API_URL &&
      '  - CATENA_API_URL: required (e.g. https://api.catenatelematics.com). `npm start` sets it to the built-in simulator when you leave it unset.',
    !e.CATENA_CLIENT_ID && '  - CATENA_CLIENT_ID: required: the OAuth client id Catena gave you.',
    !e.CATENA_CLIENT_SECRET && '  - CATENA_CLIENT_SECRET: required: the OAuth client secret Catena gave you.',
  ].filter((line) => typeof line === 'string');
  if (Boolean(e.CONSOLE_ADMIN_EMAIL) !== Boolean(e.CONSOLE_ADMIN_PASSWORD)) {
    missing.push('  - CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD go together: set both, or neither.');
  }
  if (e.DATABASE_URL && !e.CATENA_WEBHOOK_SECRET) {
    // Every server must verify every webhook, and Catena signs them with one secret (decision 0041).
    missing.push(
      '  - CATENA_WEBHOOK_SECRET: required with DATABASE_URL: give every console server the same secret (12+ characters), e.g. `openssl rand -base64 32`.',
    );
  }
  if (!e.CATENA_API_URL || !e.CATENA_CLIENT_ID || !e.CATENA_CLIENT_SECRET || missing.length > 0) {
    throw new ConfigError(`The console server cannot start; fix its environment:\n${missing.join('\n')}`);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  ensurePrivateDir(dataDir);
  const apiUrl = stripSlash(e.CATENA_API_URL);
  return {
    port: e.PORT,
    host: e.HOST,
    catenaApiUrl: apiUrl,
    // Real Catena serves auth from its own host; when only the API URL is given (the simulator), use it for both.
    catenaAuthUrl: stripSlash(e.CATENA_AUTH_URL ?? apiUrl),
    catenaClientId: e.CATENA_CLIENT_ID,
    catenaClientSecret: e.CATENA_CLIENT_SECRET,
    webhookSecret: e.CATENA_WEBHOOK_SECRET ?? loadOrCreateWebhookSecret(dataDir),
    publicUrl: stripSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`),
    allowedHosts: e.ALLOWED_HOSTS,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? null,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_SECONDS * 1000,
    webhookCheckIntervalMs: e.WEBHOOK_CHECK_INTERVAL_SECONDS * 1000,
    directoryCacheMs: e.DIRECTORY_CACHE_SECONDS * 1000,
    staticDir: path.resolve(e.STATIC_DIR),
    logLevel: e.LOG_LEVEL,
    admin: e.CONSOLE_ADMIN_EMAIL && e.CONSOLE_ADMIN_PASSWORD ? { email: e.CONSOLE_ADMIN_EMAIL, password: e.CONSOLE_ADMIN_PASSWORD } : null,
    demoAccounts: e.CONSOLE_DEMO_ACCOUNTS === 'true',
    session: { idleMs: e.SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.SESSION_MAX_HOURS * 3_600_000 },
    trustProxy: e.TRUST_PROXY === 'true',
    sendTimeoutMs: e.SEND_TIMEOUT_SECONDS * 1000,
    sendLandingWindowMs: e.SEND_LANDING_WINDOW_SECONDS * 1000,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_SECONDS * 1000,
    stuckAfterMinutes: e.STUCK_AFTER_MINUTES,
    catenaMaxAttempts: e.CATENA_MAX_ATTEMPTS === 'unknown' ? null : e.CATENA_MAX_ATTEMPTS,
    liveRefreshMs: e.LIVE_REFRESH_SECONDS * 1000,
    simulatorControlUrl: e.SIMULATOR_CONTROL_URL ? stripSlash(e.SIMULATOR_CONTROL_URL) : null,
    http: {
      requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
      headersTimeoutMs: Math.min(10, e.REQUEST_TIMEOUT_SECONDS) * 1000,
      // Long enough for a synchronous send waiting on a slow Catena; a silent socket goes after it.
      connectionTimeoutMs: Math.max(120, e.REQUEST_TIMEOUT_SECONDS) * 1000,
      keepAliveTimeoutMs: e.KEEP_ALIVE_SECONDS * 1000,
      // Behind a proxy every connection comes from the proxy: no cap unless one is asked for.
      maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS ?? (e.TRUST_PROXY === 'true' ? 0 : 64),
    },
  };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Without CATENA_WEBHOOK_SECRET the server makes one and keeps it beside the database, so the
 * subscription it registers with Catena stays valid across restarts.
 */
function loadOrCreateWebhookSecret(dataDir: string): string {
  const file = path.join(dataDir, 'webhook-secret');
  if (existsSync(file)) {
    // A file left world-readable by an older version is tightened before it is read.
    ensurePrivateFile(file);
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 12) return stored;
  }
  ensurePrivateFile(file);
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
