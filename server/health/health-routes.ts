import type { FastifyInstance } from 'fastify';
import type { Health, Readiness } from '../../contracts/health-schemas.ts';
import type { WebhookSubscriptionState } from '../../contracts/webhook-subscription-schemas.ts';
import type { RefusedOperations } from '../operations/refused-operations.ts';
import type { UpstreamStatus } from './upstream-status.ts';

/** How long the store may take to answer a readiness check before the server counts as not ready. */
const READY_TIMEOUT_MS = 2_000;

type ReadinessChecks = { ping(): Promise<void>; stopping(): boolean };

export function registerHealthRoutes(
  app: FastifyInstance,
  status: UpstreamStatus,
  refused: RefusedOperations,
  readiness: ReadinessChecks,
  /** The last known state of our webhook subscription at Catena, from the store; never waits for Catena. */
  webhookSubscription: () => Promise<WebhookSubscriptionState> = async () => 'unknown',
): void {
  // For load balancers and start-up scripts: answers without a session and says nothing else.
  app.get('/api/health/live', { config: { access: 'public' } }, async () => ({ ok: true }));

  // For load balancers with active checks: 503 while this server cannot reach its store (it could
  // answer nothing useful) or is stopping (drain it). Catena being down is not this server's fault,
  // and the same for every server: that is /api/health, for people.
  app.get('/api/health/ready', { config: { access: 'public' } }, async (_request, reply): Promise<Readiness> => {
    if (readiness.stopping()) return reply.status(503).send({ ok: false, reason: 'stopping' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the store did not answer in time')), READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([readiness.ping(), timeout]);
      return { ok: true, reason: null };
    } catch {
      return reply.status(503).send({ ok: false, reason: 'store_unreachable' });
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/api/health', { config: { access: 'view' } }, async (request): Promise<Health> => {
    const snapshot = await status.snapshot();
    return {
      // The console itself answers; `ok` says whether it can also do its job (reach Catena).
      ok: snapshot.reachable,
      upstream: { reachable: snapshot.reachable, last_success_at: snapshot.last_success_at, last_error: snapshot.last_error },
      // The state only, no metrics or URLs: everyone who sees the header may know deliveries stopped.
      webhooks: { last_received_at: snapshot.last_webhook_at, subscription: await webhookSubscription() },
      // Operations from Catena the console could never store: for admins, who can take it up with Catena.
      ...(request.user?.role === 'admin' ? { refused_operations: await refused.snapshot() } : {}),
    };
  });
}
