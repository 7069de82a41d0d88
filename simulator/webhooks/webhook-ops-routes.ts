import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CatenaHttpError, notFound } from '../http/catena-errors.ts';
import { paginate, type SortKey } from '../http/cursor-page.ts';
import { queryDatetime, queryEnum, queryInt, queryString } from '../http/query-params.ts';
import { parseInput } from '../http/request-validation.ts';
import { isoTime } from '../lib/time.ts';
import { freshBreaker } from './circuit-breaker.ts';
import type { WebhookDispatcher } from './webhook-delivery.ts';
import type { WebhookLedger, WebhookLogEntry } from './webhook-ledger.ts';
import { webhookMetrics } from './webhook-metrics.ts';
import type { WebhookStore } from './webhook-store.ts';
import { toWebhookRead } from './webhook-views.ts';

/** Catena's webhook operations (excerpt-notifications-webhook-ops.json): activate, pause, metrics, replay, logs. */

const idParams = z.object({ webhook_id: z.guid() });

const logsQuery = z.object({
  start_date: queryDatetime(),
  end_date: queryDatetime(),
  status: queryEnum(['success', 'failed'] as const),
  cursor: queryString(),
  size: queryInt(1, 1000, 300),
});

/** Newest first; the sequence number (zero-padded so it sorts as text) breaks ties within a millisecond. */
const logKey = (row: WebhookLogEntry): SortKey => [isoTime(row.created_at), String(row.seq).padStart(12, '0')];
const newestFirst = (a: SortKey, b: SortKey): number => (a.join('|') < b.join('|') ? 1 : a.join('|') > b.join('|') ? -1 : 0);

const toLogRead = (row: WebhookLogEntry) => ({
  created_at: isoTime(row.created_at),
  webhook_id: row.webhook_id,
  message_id: row.message_id,
  event_name: row.event_name,
  status: row.status,
  status_code: row.status_code,
  error_message: row.error_message,
  response_time_ms: row.response_time_ms,
});

export function registerWebhookOpsRoutes(
  app: FastifyInstance,
  deps: { store: WebhookStore; ledger: WebhookLedger; dispatcher: WebhookDispatcher },
): void {
  const { store, ledger, dispatcher } = deps;
  const hookOf = (params: unknown) => {
    const { webhook_id } = parseInput(idParams, params, 'path');
    const hook = store.get(webhook_id);
    if (!hook) throw notFound(`Webhook ${webhook_id} not found`);
    return hook;
  };

  // Activating restarts the breaker's count and its grace period: the subscriber says it fixed its end.
  app.post('/v2/notifications/webhooks/:webhook_id/activate', async (request) => {
    const hook = hookOf(request.params);
    if (hook.status !== 'active') {
      const now = Date.now();
      hook.status = 'active';
      hook.updated_at = now;
      hook.breaker = freshBreaker(now);
      dispatcher.publishLifecycle('webhook.activated', hook);
    }
    return toWebhookRead(hook);
  });

  app.post('/v2/notifications/webhooks/:webhook_id/pause', async (request) => {
    const hook = hookOf(request.params);
    if (hook.status !== 'paused') {
      hook.status = 'paused';
      hook.updated_at = Date.now();
      dispatcher.publishLifecycle('webhook.paused', hook);
    }
    return toWebhookRead(hook);
  });

  app.get('/v2/notifications/webhooks/:webhook_id/metrics', async (request) => {
    const hook = hookOf(request.params);
    const now = Date.now();
    return webhookMetrics({
      webhookId: hook.id,
      logs: ledger.logs(hook.id, now),
      ewma: hook.breaker.ewma,
      dlqCount: ledger.dlqCount(hook.id, now),
      now,
    });
  });

  // Replaying into a paused or stale subscription would only put everything back in the queue.
  app.post('/v2/notifications/webhooks/:webhook_id/replay', async (request, reply) => {
    const hook = hookOf(request.params);
    if (hook.status !== 'active') {
      throw new CatenaHttpError(
        409,
        `Webhook ${hook.id} is ${hook.status}; activate it (POST /v2/notifications/webhooks/${hook.id}/activate) before replaying`,
      );
    }
    dispatcher.replay(hook.id);
    return reply.code(202).send({});
  });

  app.get('/v2/notifications/webhooks/:webhook_id/logs', async (request) => {
    const hook = hookOf(request.params);
    const query = parseInput(logsQuery, request.query, 'query');
    const rows = ledger
      .logs(hook.id, Date.now())
      .filter(
        (row) =>
          (query.start_date === undefined || row.created_at >= query.start_date) &&
          (query.end_date === undefined || row.created_at <= query.end_date) &&
          (query.status === undefined || row.status === query.status),
      )
      .toReversed();
    const page = paginate(rows, logKey, query.cursor, query.size, newestFirst);
    return { ...page, items: page.items.map(toLogRead) };
  });
}
