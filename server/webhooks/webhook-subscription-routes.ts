import type { FastifyInstance } from 'fastify';
import type { WebhookReplayResult, WebhookSubscriptionView } from '../../contracts/webhook-subscription-schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { SubscriptionMonitor } from './subscription-monitor.ts';

/**
 * The console's own webhook subscription, for admins: how Catena's deliveries to us are going, and
 * a way to bring them back (activate, then replay the dead-letter queue) without waiting for the
 * leader's next check. Catena's failures answer 502/503 with their reason (server/http/http-error.ts).
 */
export function registerWebhookSubscriptionRoutes(app: FastifyInstance, deps: { monitor: SubscriptionMonitor; audit: AuditLog }): void {
  const admin = { config: { access: 'admin' as const } };

  app.get('/api/webhook-subscription', admin, async (): Promise<WebhookSubscriptionView> => deps.monitor.view());

  app.post('/api/webhook-subscription/replay', admin, async (request): Promise<WebhookReplayResult> => {
    const { reactivated, replayed, view } = await deps.monitor.recover();
    await deps.audit.record({ actor: request.user, action: 'webhooks_replayed', target: null, details: { reactivated, replayed }, ip: request.ip });
    return { reactivated, replayed, subscription: view };
  });
}
