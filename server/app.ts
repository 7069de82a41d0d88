import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
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
import { ConnectionHealthService } from './connection-health/connection-health.ts';
import { ConnectionHealthStore } from './connection-health/connection-health-store.ts';
import { LeaderDuties, type Duty } from './coordination/leader-duties.ts';
import { LeaseStore } from './coordination/lease-store.ts';
import { registerDemoRoutes } from './demo/demo-routes.ts';
import { SimulatorControl } from './demo/simulator-control.ts';
import { openDatabase, type StoreDatabase } from './db/database.ts';
import { pruneBookkeeping } from './db/housekeeping.ts';
import { SettingsStore } from './db/settings-store.ts';
import { DirectoryService } from './directory/directory-service.ts';
import { registerDirectoryRoutes } from './directory/directory-routes.ts';
import { registerHealthRoutes } from './health/health-routes.ts';
import { upstreamProbe } from './health/upstream-probe.ts';
import { UpstreamStatus } from './health/upstream-status.ts';
import { httpServerOptions, limitConnectionsPerAddress } from './http/connection-limits.ts';
import { registerErrorHandling } from './http/http-error.ts';
import { allowedHostnames, registerHostAllowList } from './http/host-allow-list.ts';
import { ReadQueue } from './http/read-queue.ts';
import { DEFAULT_INCIDENT_RULES, IncidentDetector, type IncidentRules } from './incidents/incident-detector.ts';
import { registerIncidentRoutes } from './incidents/incident-routes.ts';
import { IncidentStore } from './incidents/incident-store.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { IdempotencyStore } from './messages/idempotency-store.ts';
import { registerMessagesRoutes } from './messages/messages-routes.ts';
import { registerOperationRecordRoute, registerOperationsRoutes } from './operations/operations-routes.ts';
import { SqlOperationsStore, type OperationsStore } from './operations/operations-store.ts';
import { WatchedOperations } from './operations/watched-operations.ts';
import { RefusedOperations } from './operations/refused-operations.ts';
import { Reconciler } from './reconciler/reconciler.ts';
import { registerResendBatchRoutes, resendBatchStarter } from './resend-batches/resend-batch-routes.ts';
import { ResendBatchStore } from './resend-batches/resend-batch-store.ts';
import { MessageSender } from './sending/message-sender.ts';
import { SendDispatcher } from './sending/send-dispatcher.ts';
import { SendSettler } from './sending/send-settler.ts';
import { SendStore } from './sending/send-store.ts';
import { registerSpaRoutes } from './spa/spa-routes.ts';
import { registerWebhookRoutes } from './webhooks/webhook-routes.ts';
import { ensureWebhookSubscription } from './webhooks/webhook-subscription.ts';
import { STATE_CHECK_MS, SubscriptionMonitor } from './webhooks/subscription-monitor.ts';
import { registerWebhookSubscriptionRoutes } from './webhooks/webhook-subscription-routes.ts';

export type ConsoleServer = {
  app: FastifyInstance;
  /** This server's name among several on one store (leases, logs). */
  serverId: string;
  database: StoreDatabase;
  store: OperationsStore;
  reconciler: Reconciler;
  /** Pending operations people are watching, read again from Catena while they do. */
  watched: WatchedOperations;
  broadcasts: BroadcastStore;
  sends: SendStore;
  /** Provider incidents: the leader runs it on a timer; tests may call `runOnce()` besides. */
  incidents: IncidentDetector;
  /** Every /api route with who may call it. */
  accessRules: AccessRule[];
  /** Listens, then subscribes to webhooks and starts the reconciler in the background. */
  start(): Promise<string>;
  /** Resolves once this server, leading, has the webhook subscription in place (retrying until it is); never on a server that does not lead. */
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
  /** Ask Catena after each quiet spell whether it answers, for the header's health (default true). */
  probe?: boolean;
  /** Tests: an in-memory SQLite store instead of the configured one. */
  database?: ':memory:';
  /** How often the leader lease is renewed or asked for; default a quarter of the reconcile interval (decision 0041). */
  leaseCheckMs?: number;
  /** Tests: when provider incidents open and close, and how often the leader looks (decision 0045). */
  incidentRules?: Partial<IncidentRules>;
};

/** A shared pause on Catena writes (a 429), held in the store so every server's dispatcher waits. */
const WRITE_PAUSE_LEASE = 'pause:catena-writes';

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

  const serverId = randomUUID();
  const database = await openDatabase(
    options.database ? { dataDir: options.database } : config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  );
  const store = new SqlOperationsStore(
    database,
    (id, reason) => app.log.warn({ operation_id: id, reason }, 'a stored operation does not read as one; left out of the answer'),
    config.stuckAfterMinutes,
  );
  const settings = new SettingsStore(database);
  const leases = new LeaseStore(database);
  const status = new UpstreamStatus(settings);
  const tokens = new TokenProvider({
    authUrl: config.catenaAuthUrl,
    clientId: config.catenaClientId,
    clientSecret: config.catenaClientSecret,
  });
  const catena = new CatenaClient({ apiUrl: config.catenaApiUrl, tokens, status });
  const directory = new DirectoryService(catena, config.directoryCacheMs, (names) =>
    // Names only serve search: a store that cannot take them now costs a name search, not the directory read.
    store
      .rememberNames(names)
      .catch((error: unknown) => app.log.warn({ err: error instanceof Error ? error.message : error }, 'could not store the names read from Catena')),
  );
  const sourceNameOf = (connectionId: string) => directory.sourceNameOf(connectionId);
  const refused = new RefusedOperations(settings);
  const reconciler = new Reconciler({
    catena,
    store,
    settings,
    refused,
    log: app.log,
    intervalMs: config.reconcileIntervalMs,
    sourceNameOf,
    isPermanentWriteError: (error) => database.dialect.isPermanentWriteError(error),
  });

  const accounts = new AccountStore(database);
  const sessions = new SessionStore(database, config.session);
  const audit = new AuditLog(database);
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
    limiter: new SignInLimiter(database),
    devices: await DeviceCookies.load(settings, https),
    secureCookies: https,
    sessionMaxAgeSeconds: Math.floor(config.session.absoluteMs / 1000),
    demoAccounts: config.demoAccounts ? DEMO_ACCOUNTS.map(({ email, password, role }) => ({ email, password, role })) : null,
  });
  registerAccountRoutes(app, { accounts, audit });
  let stopping = false;
  const subscriptionMonitor = new SubscriptionMonitor({ catena, settings, log: app.log });
  registerHealthRoutes(app, status, refused, { ping: () => database.ping(), stopping: () => stopping }, () => subscriptionMonitor.state());
  const connectionHealth = new ConnectionHealthService(new ConnectionHealthStore(database), app.log);
  registerDirectoryRoutes(app, directory, (connections) => connectionHealth.withHealth(connections));
  const sends = new SendStore(database);
  const watched = new WatchedOperations({ catena, store, leases, serverId, log: app.log, sourceNameOf, refreshEveryMs: config.liveRefreshMs });
  // PostgreSQL: several heavy reads at once, leaving 4 of the pool's 10 connections for the rest.
  registerOperationsRoutes(
    app,
    store,
    sends,
    () => directory.warmNames(),
    new ReadQueue(database.dialect.engine === 'postgres' ? 6 : 1),
    watched,
    config.catenaMaxAttempts,
  );
  registerOperationRecordRoute(app, {
    store,
    warmNames: (connectionIds) => directory.warmNames(connectionIds),
    readRecord: async (resource, id) => {
      const read = resource === 'vehicle' ? catena.getVehicle(id) : resource === 'trailer' ? catena.getTrailer(id) : catena.getUser(id);
      return { ...(await read) };
    },
  });
  const idempotency = new IdempotencyStore(database);
  // Set below: the leader's duties need the dispatcher, and the dispatcher and the settler ask who leads.
  let leader: LeaderDuties | null = null;
  const settler = new SendSettler({
    sends,
    operations: store,
    reconciler,
    log: app.log,
    landingWindowMs: config.sendLandingWindowMs,
    isLeader: () => leader?.isLeader ?? false,
  });
  const settlesAt = (send: Parameters<SendSettler['settlesAt']>[0]) => settler.settlesAt(send);
  const sender = new MessageSender({ catena, store, directory, idempotency, sends, log: app.log, timeoutMs: config.sendTimeoutMs, settlesAt });
  registerMessagesRoutes(app, { sender, store, sends, directory, audit, settlesAt });
  const broadcasts = new BroadcastStore(database, sends);
  const dispatcher = new SendDispatcher({
    sends,
    sender,
    settler,
    log: app.log,
    isLeader: () => leader?.isLeader ?? false,
    pause: {
      isPaused: async () => (await leases.holderOf(WRITE_PAUSE_LEASE)) !== null,
      pauseFor: (ms) => leases.extend(WRITE_PAUSE_LEASE, serverId, ms),
    },
  });
  registerBroadcastRoutes(app, { store: broadcasts, dispatcher, directory, idempotency, audit, watched });
  const resendBatches = new ResendBatchStore(database, sends);
  registerResendBatchRoutes(app, { batches: resendBatches, broadcasts, store, sends, directory, idempotency, dispatcher, audit, watched });
  const incidentStore = new IncidentStore(database);
  registerIncidentRoutes(app, { incidents: incidentStore, audit });
  const incidents = new IncidentDetector({
    incidents: incidentStore,
    listConnections: () => directory.listConnections(),
    startResend: resendBatchStarter({ batches: resendBatches, broadcasts, store, sends, directory, idempotency, dispatcher, audit, watched }),
    accounts,
    log: app.log,
    rules: { ...DEFAULT_INCIDENT_RULES, ...options.incidentRules },
  });
  await registerWebhookRoutes(app, { dialect: database.dialect, store, status, refused, webhookSecret: config.webhookSecret, sourceNameOf });
  registerWebhookSubscriptionRoutes(app, { monitor: subscriptionMonitor, audit });
  // Demo mode only when the upstream is the simulator; with real Catena these routes do not exist (decision 0047).
  if (config.simulatorControlUrl) {
    registerDemoRoutes(app, { control: new SimulatorControl(config.simulatorControlUrl), audit, afterReset: async () => directory.forget() });
  }
  await registerSpaRoutes(app, config.staticDir);

  await bootstrapAccounts(accounts, { admin: config.admin, demo: config.demoAccounts, log: app.log });

  // Hourly, on the leader: the planner's statistics go stale as the store grows from empty; expired
  // sessions, old webhook event ids, finished idempotency keys and old sign-in attempts go.
  const housekeeping = repeating(
    'housekeeping',
    60 * 60 * 1000,
    async () => {
      await database.dialect.optimize(database.db);
      await sessions.sweep();
      await pruneBookkeeping(database);
    },
    app.log,
  );

  // The leader subscribes, then checks the subscription on a timer and makes it again when Catena
  // lost it (decision 0002), sooner after a failed attempt. One server does this, so servers never
  // replace each other's subscription; all share its secret (CATENA_WEBHOOK_SECRET) and its record.
  let subscribeTimer: NodeJS.Timeout | null = null;
  let subscribing = false;
  let markSubscribed: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => {
    markSubscribed = resolve;
  });
  const subscribe = async (): Promise<void> => {
    let nextInMs = config.webhookCheckIntervalMs;
    try {
      await directory.listConnections().catch(() => []);
      await ensureWebhookSubscription({ catena, settings, log: app.log, publicUrl: config.publicUrl, secret: config.webhookSecret });
      // Catena stops delivering to a stale or paused subscription and parks what failed: bring both
      // back at start and on every check (decision 0043); the reconciler covers the gap meanwhile.
      // A failure here leaves the subscription in place: the state check and the next check retry.
      await subscriptionMonitor
        .recover()
        .catch((error: unknown) =>
          app.log.warn(
            { err: error instanceof Error ? error.message : error },
            'could not reactivate or replay the Catena webhook subscription; will retry',
          ),
        );
      markSubscribed();
    } catch (error) {
      nextInMs = Math.min(SUBSCRIBE_RETRY_MS, config.webhookCheckIntervalMs);
      app.log.warn(
        { err: error instanceof Error ? error.message : error, retry_in_ms: nextInMs },
        'could not check the Catena webhook subscription; trying again',
      );
    }
    if (!subscribing) return;
    subscribeTimer = setTimeout(() => void subscribe(), nextInMs);
    subscribeTimer.unref();
  };
  const subscription: Duty = {
    name: 'webhook subscription',
    start() {
      subscribing = true;
      void subscribe();
    },
    async stop() {
      subscribing = false;
      if (subscribeTimer) clearTimeout(subscribeTimer);
    },
  };
  const reconciling: Duty = { name: 'reconciler', start: () => reconciler.start(), stop: () => reconciler.stop() };
  // Between full checks, the leader reads the subscription's state often (one list call): the
  // header learns soon, and a stale or paused subscription comes back within one interval.
  const subscriptionWatch: Duty = {
    name: 'webhook subscription state',
    start: () => subscriptionMonitor.watch(Math.min(STATE_CHECK_MS, config.webhookCheckIntervalMs)),
    stop: async () => subscriptionMonitor.unwatch(),
  };
  leader = new LeaderDuties({
    leases,
    serverId,
    checkEveryMs: options.leaseCheckMs ?? Math.max(250, Math.floor(config.reconcileIntervalMs / 4)),
    soleServer: database.dialect.engine === 'sqlite',
    duties: [
      housekeeping,
      ...(options.subscribe !== false ? [subscription, subscriptionWatch] : []),
      ...(options.reconcile !== false ? [reconciling] : []),
      incidents.duty(),
      ...(options.probe !== false ? [upstreamProbe(catena, app.log)] : []),
    ],
    log: app.log,
  });
  const leading = leader;

  return {
    app,
    serverId,
    database,
    store,
    reconciler,
    watched,
    broadcasts,
    sends,
    incidents,
    accessRules,
    subscribed,
    async start() {
      const address = await app.listen({ port: config.port, host: config.host });
      await leading.start();
      if (options.dispatch !== false) dispatcher.start();
      watched.start();
      return address;
    },
    async stop() {
      // Balancers with active checks see /api/health/ready answer 503 from now on: the server goes on
      // answering for SHUTDOWN_DRAIN_SECONDS, so they take it out before it stops taking requests.
      stopping = true;
      if (config.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      await dispatcher.stop();
      await watched.stop();
      // Gives the lease up: another server takes the reconciler over now, not when the lease runs out.
      await leading.stop();
      await app.close();
      await status.flush();
      await database.close();
    },
  };
}

/**
 * A duty that runs `work` a few minutes after it is taken on, then every `everyMs` while it is on,
 * logging (not throwing) what fails: a leader that changes often still gets it done.
 */
function repeating(name: string, everyMs: number, work: () => Promise<void>, log: FastifyInstance['log']): Duty {
  const FIRST_RUN_MS = 5 * 60 * 1000;
  let timer: NodeJS.Timeout | null = null;
  const run = () => {
    void work().catch((error: unknown) =>
      log.warn({ duty: name, err: error instanceof Error ? error.message : error }, `${name} failed; will retry`),
    );
    timer = setTimeout(run, everyMs);
    timer.unref();
  };
  return {
    name,
    start() {
      timer = setTimeout(run, Math.min(FIRST_RUN_MS, everyMs));
      timer.unref();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
