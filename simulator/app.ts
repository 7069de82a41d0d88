import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ApiRateLimiter } from './auth/api-rate-limit.ts';
import { registerBearerGuard } from './auth/bearer-guard.ts';
import { registerTokenRoutes } from './auth/token-routes.ts';
import { TokenStore } from './auth/token-store.ts';
import { registerControlRoutes } from './control/control-routes.ts';
import { DEFAULT_WEBHOOK_STALE_GRACE_MS, type SimSettings } from './control/sim-settings.ts';
import { registerAssetRoutes, registerDirectoryRoutes } from './directory/directory-routes.ts';
import { CatenaHttpError, RequestValidationError, TooManyRequestsError, errorBody } from './http/catena-errors.ts';
import { registerOperationRoutes } from './operations/operation-routes.ts';
import { OperationStore, type OperationRecord } from './operations/operation-store.ts';
import { toOperationRead } from './operations/operation-views.ts';
import { OperationProcessor, unlimitedController, type OperationEventName } from './processing/operation-processor.ts';
import { ScenarioStore } from './scenarios/scenario-store.ts';
import { buildSeedHistory } from './seed/seed-history.ts';
import { TrafficGenerator } from './traffic/traffic.ts';
import { LARGE_FLEET_DRIVERS_MAX, SEEDED_SCENARIO_ID, buildSeedWorld } from './seed/seed-world.ts';
import { WebhookDispatcher } from './webhooks/webhook-delivery.ts';
import { WebhookLedger } from './webhooks/webhook-ledger.ts';
import { registerWebhookOpsRoutes } from './webhooks/webhook-ops-routes.ts';
import { registerWebhookRoutes } from './webhooks/webhook-routes.ts';
import { WebhookStore } from './webhooks/webhook-store.ts';
import { registerWriteRoutes } from './writes/write-routes.ts';
import { WriteService } from './writes/write-service.ts';

export interface SimulatorOptions {
  clientId?: string;
  clientSecret?: string;
  /** Multiplies every simulated delay (TSP latency and rate waits, retry and webhook backoff); not the 3 s webhook timeout. */
  timeScale?: number;
  seedHistory?: boolean;
  apiRateLimitPerSecond?: number;
  tokenTtlSeconds?: number;
  logger?: boolean;
  /** Adds a sixth fleet, Continental Express (samsara), with this many drivers (default 0: no such fleet). */
  largeFleetDrivers?: number;
  /** No stale verdict this long after a subscription's create, update or activate (default Catena's 15 minutes). */
  webhookStaleGraceMs?: number;
}

export interface Simulator {
  app: FastifyInstance;
  /** Starts listening; resolves to the base URL (auth server and API share it). */
  listen(port: number, host?: string): Promise<string>;
  /** Stops the server, every timer, queue and webhook delivery. */
  close(): Promise<void>;
}

const optionsSchema = z.object({
  clientId: z.string().min(1).default('fleetops-demo'),
  clientSecret: z.string().min(1).default('fleetops-demo-secret'),
  timeScale: z.number().positive().max(1000).default(1),
  seedHistory: z.boolean().default(true),
  apiRateLimitPerSecond: z.number().positive().max(100_000).default(50),
  tokenTtlSeconds: z.number().positive().default(3600),
  logger: z.boolean().default(false),
  largeFleetDrivers: z.number().int().min(0).max(LARGE_FLEET_DRIVERS_MAX).default(0),
  webhookStaleGraceMs: z.number().int().min(0).default(DEFAULT_WEBHOOK_STALE_GRACE_MS),
});

/** 1 MiB: enough for any message, small enough that a pasted file is a 413, not a memory spike. */
const BODY_LIMIT = 1024 * 1024;

/** Repeated keys become arrays (`?fleet_refs=a&fleet_refs=b`), as FastAPI reads them. */
function parseQueryString(text: string): Record<string, unknown> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function routeRegex(url: string): RegExp {
  const pattern = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}/?$`);
}

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const opts = optionsSchema.parse(options);
  const startedAt = Date.now();
  const lifetime = unlimitedController();
  const settings: SimSettings = {
    timeScale: opts.timeScale,
    apiRateLimitPerSecond: opts.apiRateLimitPerSecond,
    webhookStaleGraceMs: opts.webhookStaleGraceMs,
  };

  const world = buildSeedWorld({ largeFleetDrivers: opts.largeFleetDrivers });
  const { directory, partnerId } = world;
  // History is placed relative to the first start, so a reset restores exactly the start state.
  const seedOperations = (): OperationRecord[] => (opts.seedHistory ? buildSeedHistory(world, startedAt) : []);
  const operations = new OperationStore(seedOperations());
  const scenarios = new ScenarioStore([
    {
      id: SEEDED_SCENARIO_ID,
      scenario: 'expired_credentials',
      connection_id: world.connectionIds['coastal'] ?? null,
      tsp: null,
      created_at: startedAt,
    },
  ]);
  const tokens = new TokenStore();
  const limiter = new ApiRateLimiter(settings);
  const webhooks = new WebhookStore();

  const app = Fastify({
    logger: opts.logger ? { level: 'info' } : false,
    bodyLimit: BODY_LIMIT,
    // Keep-alive sockets must not keep close() (and test runs) waiting.
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 500, querystringParser: parseQueryString },
    // A malformed URL (bad %-escape…) is the client's fault: Catena's 400 shape.
    frameworkErrors: (error, _request, reply) => {
      // The option's generic reply type cannot be inferred here; it is an ordinary reply.
      void (reply as unknown as FastifyReply).code(400).send(errorBody(400, error.message));
    },
  });
  // A bug must never be silent, even when request logging is off (the default).
  const reportBug = (error: unknown, what: string): void => {
    if (opts.logger) app.log.error({ err: error }, what);
    else console.error(`Simulator: ${what}:`, error);
  };
  const onBackgroundError = (error: unknown): void => reportBug(error, 'background work failed');

  const webhookLedger = new WebhookLedger();
  const dispatcher = new WebhookDispatcher({
    store: webhooks,
    ledger: webhookLedger,
    settings,
    lifetime: lifetime.signal,
    onError: onBackgroundError,
  });
  const publish = (event: OperationEventName, op: OperationRecord): void => {
    // Sync writes and seeded history fire no webhooks (Catena's FAQ: no webhook in sync mode).
    if (op.origin !== 'async') return;
    dispatcher.publish(event, [toOperationRead(op)], { id: op.fleet_id, fleet_ref: op.fleet_ref });
  };
  const processor = new OperationProcessor({
    directory,
    operations,
    scenarios,
    settings,
    onEvent: publish,
    onError: onBackgroundError,
    lifetime: lifetime.signal,
  });

  // Bodies are read as text and parsed per route, so a broken body is Catena's 422, never a crash.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // Remember every route so a known path with the wrong method is a 405, not a 404.
  const routes: { method: string; regex: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), regex: routeRegex(route.url) });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = [...new Set(routes.filter((r) => r.regex.test(path)).map((r) => r.method))];
    if (allowed.length > 0) {
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send(errorBody(405, `Method ${request.method} is not allowed on ${path}`));
    }
    return reply.code(404).send(errorBody(404, 'Not Found'));
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof CatenaHttpError) return reply.code(error.statusCode).headers(error.headers).send(errorBody(error.statusCode, error.detail));
    if (error instanceof RequestValidationError) {
      return reply.code(422).send({ code: 422, message: 'Invalid Request Body', detail: error.details });
    }
    if (error instanceof TooManyRequestsError) {
      return reply
        .code(429)
        .header('retry-after', String(error.retryAfterSeconds))
        .send({ code: 429, message: 'Too Many Requests', detail: { retry_after_seconds: error.retryAfterSeconds, message: error.detailMessage } });
    }
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors (body too large, bad content length…): Catena's shape, Fastify's words.
      return reply.code(status).send(errorBody(status, error instanceof Error ? error.message : null));
    }
    reportBug(error, `unhandled error in ${request.method} ${request.url}`);
    return reply.code(500).send({ message: 'Internal Server Error' });
  });

  registerBearerGuard(app, tokens, limiter);
  registerTokenRoutes(app, { tokens, clientId: opts.clientId, clientSecret: opts.clientSecret, tokenTtlSeconds: opts.tokenTtlSeconds });
  registerDirectoryRoutes(app, directory);
  registerAssetRoutes(app, directory);
  registerOperationRoutes(app, operations);
  const writes = new WriteService({ directory, operations, processor, partnerId, publish });
  registerWriteRoutes(app, writes);
  const traffic = new TrafficGenerator({ directory, writes, onError: onBackgroundError });
  registerWebhookRoutes(app, webhooks, partnerId);
  registerWebhookOpsRoutes(app, { store: webhooks, ledger: webhookLedger, dispatcher });
  registerControlRoutes(app, {
    settings,
    directory,
    scenarios,
    partnerId,
    applySettings: (changes) => {
      Object.assign(settings, changes);
      limiter.reset();
    },
    // Back to the seed, but tokens and webhook subscriptions stay so a running console keeps working.
    traffic,
    reset: () => {
      traffic.reset();
      processor.reset();
      operations.replaceAll(seedOperations());
      directory.reset();
      scenarios.reset();
      settings.timeScale = opts.timeScale;
      settings.apiRateLimitPerSecond = opts.apiRateLimitPerSecond;
      settings.webhookStaleGraceMs = opts.webhookStaleGraceMs;
      limiter.reset();
    },
    deliveries: () => dispatcher.recentAttempts(),
  });

  await app.ready();

  let closed: Promise<void> | undefined;
  return {
    app,
    async listen(port: number, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return `http://${shownHost}:${address.port}`;
    },
    close() {
      closed ??= (async () => {
        traffic.stop();
        lifetime.abort();
        await app.close();
        await Promise.all([processor.drain(), dispatcher.drain()]);
      })();
      return closed;
    },
  };
}
