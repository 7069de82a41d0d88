import Fastify, { type FastifyInstance } from 'fastify';
import { registerAccessControl, type AccessRule } from './access/access-control.ts';
import { registerAccountRoutes } from './access/account-routes.ts';
import { AccountStore } from './access/account-store.ts';
import { bootstrapAccounts, DEMO_ACCOUNTS } from './access/bootstrap-accounts.ts';
import { DeviceCookies } from './access/device-cookie.ts';
import { registerSessionRoutes } from './access/session-routes.ts';
import { SessionStore } from './access/session-store.ts';
import { SignInLimiter } from './access/sign-in-limiter.ts';
import { AuditLog } from './audit/audit-log.ts';
import { registerBroadcastRoutes } from './broadcasts/broadcast-routes.ts';
import { BroadcastStore } from './broadcasts/broadcast-store.ts';
import { CatenaClient } from './catena/catena-client.ts';
import { TokenProvider } from './catena/token-provider.ts';
import type { Config } from './config.ts';
import { openDatabase, optimizeDatabase, type SqliteDatabase } from './db/database.ts';
import { pruneBookkeeping } from './db/housekeeping.ts';
import { SettingsStore } from './db/settings-store.ts';
import { DirectoryService } from './directory/directory-service.ts';
import { registerDirectoryRoutes } from './directory/directory-routes.ts';
import { registerHealthRoutes } from './health/health-routes.ts';
import { UpstreamStatus } from './health/upstream-status.ts';
import { httpServerOptions, limitConnectionsPerAddress } from './http/connection-limits.ts';
import { registerErrorHandling } from './http/http-error.ts';
import { allowedHostnames, registerHostAllowList } from './http/host-allow-list.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { IdempotencyStore } from './messages/idempotency-store.ts';
import { registerMessagesRoutes } from './messages/messages-routes.ts';
import { registerOperationRecordRoute, registerOperationsRoutes } from './operations/operations-routes.ts';
import { SqliteOperationsStore, type OperationsStore } from './operations/operations-store.ts';
import { RefusedOperations } from './operations/refused-operations.ts';
import { Reconciler } from './reconciler/reconciler.ts';
import { registerResendBatchRoutes } from './resend-batches/resend-batch-routes.ts';
import { ResendBatchStore } from './resend-batches/resend-batch-store.ts';
import { MessageSender } from './sending/message-sender.ts';
import { SendDispatcher } from './sending/send-dispatcher.ts';
import { SendSettler } from './sending/send-settler.ts';
import { SendStore } from './sending/send-store.ts';
import { registerSpaRoutes } from './spa/spa-routes.ts';
import { registerWebhookRoutes } from './webhooks/webhook-routes.ts';
import { ensureWebhookSubscription } from './webhooks/webhook-subscription.ts';

export type ConsoleServer = {
  app: FastifyInstance;
  db: SqliteDatabase;
  store: OperationsStore;
  reconciler: Reconciler;
  broadcasts: BroadcastStore;
  sends: SendStore;
  /** Every /api route with who may call it. */
  accessRules: AccessRule[];
  /** Listens, then subscribes to webhooks and starts the reconciler in the background. */
  start(): Promise<string>;
  /** Resolves once the webhook subscription is in place (retrying in the background until it is). */
  subscribed: Promise<void>;
  stop(): Promise<void>;
};

type BuildOptions = {
  /** Log destination; tests pass a stream to read what the server logs. */
  logStream?: NodeJS.WritableStream;
  /** Subscribe to Catena's webhooks at start (default true). */
  subscribe?: boolean;
  /** Run the reconciler on its timer (default true); tests may call `reconciler.runOnce()` instead. */
  reconcile?: boolean;
  /** Send queued broadcast recipients (default true). */
  dispatch?: boolean;
  database?: ':memory:';
};

/** After a failed subscription check, the next comes this soon (or at the check interval, if shorter). */
const SUBSCRIBE_RETRY_MS = 30_000;

/** Log fields that may carry secrets are removed before anything is written. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-catena-signature"]',
  'req.headers["idempotency-key"]',
  'req.headers["x-csrf-token"]',
  '*.password',
  '*.csrf_token',
  '*.access_token',
  '*.client_secret',
  '*.secret',
  '*.token',
];

export async function buildServer(config: Config, options: BuildOptions = {}): Promise<ConsoleServer> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Messages are small; the webhook route sets its own, larger limit.
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 200 },
    trustProxy: config.trustProxy,
    ...httpServerOptions(config.http),
  });
  limitConnectionsPerAddress(app.server, config.http.maxConnectionsPerAddress, app.log);

  const db = openDatabase(options.database ?? config.dataDir);
  const store = new SqliteOperationsStore(db, (id, reason) => app.log.warn({ operation_id: id, reason }, 'a stored operation does not read as one; left out of the answer'));
  const settings = new SettingsStore(db);
  const status = new UpstreamStatus();
  const tokens = new TokenProvider({
    authUrl: config.catenaAuthUrl,
    clientId: config.catenaClientId,
    clientSecret: config.catenaClientSecret,
  });
  const catena = new CatenaClient({ apiUrl: config.catenaApiUrl, tokens, status });
  const directory = new DirectoryService(catena, config.directoryCacheMs, (names) => store.rememberNames(names));
  const sourceNameOf = (connectionId: string) => directory.sourceNameOf(connectionId);
  const refused = new RefusedOperations(settings);
  const reconciler = new Reconciler({ catena, store, settings, refused, log: app.log, intervalMs: config.reconcileIntervalMs, sourceNameOf });

  const accounts = new AccountStore(db);
  const sessions = new SessionStore(db, config.session);
  const audit = new AuditLog(db);
  const https = config.publicUrl.startsWith('https://');
  registerErrorHandling(app);
  // First of all hooks: a request for a foreign host name reaches no route and no session lookup.
  registerHostAllowList(app, allowedHostnames({ publicUrl: config.publicUrl, listenHost: config.host, extra: config.allowedHosts }));
  registerSecurityHeaders(app, { https });
  const accessRules = registerAccessControl(app, { sessions, accounts, publicUrl: config.publicUrl, secureCookies: https });
  registerSessionRoutes(app, {
    accounts,
    sessions,
    audit,
    limiter: new SignInLimiter(),
    devices: new DeviceCookies(settings, https),
    secureCookies: https,
    sessionMaxAgeSeconds: Math.floor(config.session.absoluteMs / 1000),
    demoAccounts: config.demoAccounts ? DEMO_ACCOUNTS.map(({ email, password, role }) => ({ email, password, role })) : null,
  });
  registerAccountRoutes(app, { accounts, audit });
  registerHealthRoutes(app, status, refused);
  registerDirectoryRoutes(app, directory);
  const sends = new SendStore(db);
  registerOperationsRoutes(app, store, sends, () => directory.warmNames());
  registerOperationRecordRoute(app, {
    store,
    warmNames: (connectionIds) => directory.warmNames(connectionIds),
    readRecord: async (resource, id) => {
      const read = resource === 'vehicle' ? catena.getVehicle(id) : resource === 'trailer' ? catena.getTrailer(id) : catena.getUser(id);
      return { ...(await read) };
    },
  });
  const idempotency = new IdempotencyStore(db);
  const settler = new SendSettler({ sends, operations: store, reconciler, log: app.log, landingWindowMs: config.sendLandingWindowMs });
  const settlesAt = (send: Parameters<SendSettler['settlesAt']>[0]) => settler.settlesAt(send);
  const sender = new MessageSender({ catena, store, directory, idempotency, sends, log: app.log, timeoutMs: config.sendTimeoutMs, settlesAt });
  registerMessagesRoutes(app, { sender, store, sends, directory, audit, settlesAt });
  const broadcasts = new BroadcastStore(db, sends);
  const dispatcher = new SendDispatcher({ sends, sender, settler, log: app.log });
  registerBroadcastRoutes(app, { store: broadcasts, dispatcher, directory, idempotency, audit });
  const resendBatches = new ResendBatchStore(db, sends);
  registerResendBatchRoutes(app, { batches: resendBatches, broadcasts, store, sends, directory, idempotency, dispatcher, audit });
  await registerWebhookRoutes(app, { db, store, status, refused, webhookSecret: config.webhookSecret, sourceNameOf });
  await registerSpaRoutes(app, config.staticDir);

  await bootstrapAccounts(accounts, { admin: config.admin, demo: config.demoAccounts, log: app.log });

  // Hourly: the planner's statistics go stale as the store grows from empty; expired sessions,
  // old webhook event ids and finished idempotency keys go.
  const optimizeTimer = setInterval(() => {
    optimizeDatabase(db);
    sessions.sweep();
    pruneBookkeeping(db);
  }, 60 * 60 * 1000);
  optimizeTimer.unref();

  // Subscribe at start, then check the subscription on a timer and recreate it when Catena lost it
  // (decision 0002): a failed attempt is tried again sooner.
  let subscribeTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  let markSubscribed: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => {
    markSubscribed = resolve;
  });
  const subscribe = async (): Promise<void> => {
    let nextInMs = config.webhookCheckIntervalMs;
    try {
      await directory.listConnections().catch(() => []);
      await ensureWebhookSubscription({ catena, settings, log: app.log, publicUrl: config.publicUrl, secret: config.webhookSecret });
      markSubscribed();
    } catch (error) {
      nextInMs = Math.min(SUBSCRIBE_RETRY_MS, config.webhookCheckIntervalMs);
      app.log.warn({ err: error instanceof Error ? error.message : error, retry_in_ms: nextInMs }, 'could not check the Catena webhook subscription; trying again');
    }
    if (stopped) return;
    subscribeTimer = setTimeout(() => void subscribe(), nextInMs);
    subscribeTimer.unref();
  };
  return {
    app,
    db,
    store,
    reconciler,
    broadcasts,
    sends,
    accessRules,
    subscribed,
    async start() {
      const address = await app.listen({ port: config.port, host: config.host });
      if (options.subscribe !== false) void subscribe();
      if (options.reconcile !== false) reconciler.start();
      if (options.dispatch !== false) dispatcher.start();
      return address;
    },
    async stop() {
      stopped = true;
      if (subscribeTimer) clearTimeout(subscribeTimer);
      clearInterval(optimizeTimer);
      await dispatcher.stop();
      await reconciler.stop();
      await app.close();
      db.close();
    },
  };
}
