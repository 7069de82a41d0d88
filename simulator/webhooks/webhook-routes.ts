import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { WEBHOOK_EVENT_NAMES, WEBHOOK_STATUSES, WEBHOOK_SUBSCRIBABLE_NAMES, expandEventName } from '../catena/catena-enums.ts';
import { CatenaHttpError, notFound } from '../http/catena-errors.ts';
import { compareKeys, paginate, type SortKey } from '../http/cursor-page.ts';
import { readJsonBody } from '../http/json-body.ts';
import { queryEnum, queryInt, queryString } from '../http/query-params.ts';
import { parseInput } from '../http/request-validation.ts';
import { newSecret } from '../lib/ids.ts';
import { isoTime } from '../lib/time.ts';
import { freshBreaker } from './circuit-breaker.ts';
import { redactWebhookUrl } from './url-redaction.ts';
import { toWebhookRead } from './webhook-views.ts';
import type { WebhookFilters, WebhookRecord, WebhookStore } from './webhook-store.ts';

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};

const urlSchema = z
  .string()
  .min(1)
  .max(2083)
  .refine(isHttpUrl, { message: 'Input should be a valid URL with scheme http or https', params: { error_type: 'url_parsing' } });

const filtersSchema = z
  .object({
    fleet_ids: z
      .array(z.guid().transform((id) => id.toLowerCase()))
      .max(100)
      .nullable()
      .optional(),
    fleet_refs: z.array(z.string().max(200)).max(100).nullable().optional(),
  })
  .nullable()
  .optional();

/** WebhookCreate; the 12-character minimum for secrets comes from Catena's docs (and WebhookUpdate). */
const createSchema = z.object({
  url: urlSchema,
  event_name: z.enum(WEBHOOK_SUBSCRIBABLE_NAMES),
  filters: filtersSchema,
  secret: z.string().min(12).max(512).nullable().optional(),
});

const updateSchema = z.object({
  url: urlSchema.nullable().optional(),
  filters: filtersSchema,
  secret: z.string().min(12).max(512).nullable().optional(),
});

const listQuery = z.object({
  event_name: queryEnum(WEBHOOK_EVENT_NAMES),
  status: queryEnum(WEBHOOK_STATUSES),
  cursor: queryString(),
  size: queryInt(1, 1000, 300),
});

const idParams = z.object({ webhook_id: z.guid() });

const sortKey = (hook: WebhookRecord): SortKey => [isoTime(hook.created_at), hook.id];

function normaliseFilters(filters: WebhookFilters | null | undefined): WebhookFilters | null {
  return filters ? { fleet_ids: filters.fleet_ids ?? null, fleet_refs: filters.fleet_refs ?? null } : null;
}

export function registerWebhookRoutes(app: FastifyInstance, store: WebhookStore, partnerId: string): void {
  const conflict = (eventName: string, url: string, existing: WebhookRecord) =>
    new CatenaHttpError(
      409,
      `A webhook for event '${eventName}' with url ${redactWebhookUrl(url)} and the same filters already exists (id ${existing.id})`,
    );

  app.post('/v2/notifications/webhooks', async (request, reply) => {
    const body = parseInput(createSchema, readJsonBody(request), 'body');
    const filters = normaliseFilters(body.filters);
    const events = expandEventName(body.event_name);
    // All or nothing: a catch-all that clashes with one existing subscription creates none.
    for (const event of events) {
      const existing = store.findLive(event, body.url, filters);
      if (existing) throw conflict(event, body.url, existing);
    }
    // One secret for the whole catch-all, so the subscriber verifies all its events with one key.
    const secret = body.secret ?? newSecret();
    const now = Date.now();
    const created = events.map((event) => store.create({ partner_id: partnerId, url: body.url, event_name: event, filters, secret }, now));
    const views = created.map((hook) => toWebhookRead(hook, { revealSecret: true }));
    return reply.code(200).send(body.event_name.endsWith('.*') ? views : views[0]);
  });

  app.get('/v2/notifications/webhooks', async (request) => {
    const query = parseInput(listQuery, request.query, 'query');
    const hooks = store.list({ event_name: query.event_name, status: query.status }).sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
    const page = paginate(hooks, sortKey, query.cursor, query.size);
    return { ...page, items: page.items.map((hook) => toWebhookRead(hook)) };
  });

  app.get('/v2/notifications/webhooks/:webhook_id', async (request) => {
    const { webhook_id } = parseInput(idParams, request.params, 'path');
    const hook = store.get(webhook_id);
    if (!hook) throw notFound(`Webhook ${webhook_id} not found`);
    return toWebhookRead(hook);
  });

  app.patch('/v2/notifications/webhooks/:webhook_id', async (request) => {
    const { webhook_id } = parseInput(idParams, request.params, 'path');
    const body = parseInput(updateSchema, readJsonBody(request), 'body');
    const hook = store.get(webhook_id);
    if (!hook) throw notFound(`Webhook ${webhook_id} not found`);
    const url = body.url ?? hook.url;
    const filters = body.filters === undefined ? hook.filters : normaliseFilters(body.filters);
    const clash = store.findLive(hook.event_name, url, filters);
    if (clash && clash.id !== hook.id) throw conflict(hook.event_name, url, clash);
    hook.url = url;
    hook.filters = filters;
    if (body.secret) hook.secret = body.secret;
    hook.updated_at = Date.now();
    // "No evaluation during the first 15 minutes after a create or update": the breaker starts over.
    hook.breaker = freshBreaker(hook.updated_at);
    return toWebhookRead(hook);
  });

  app.delete('/v2/notifications/webhooks/:webhook_id', async (request, reply) => {
    const { webhook_id } = parseInput(idParams, request.params, 'path');
    if (!store.delete(webhook_id, Date.now())) throw notFound(`Webhook ${webhook_id} not found`);
    return reply.code(204).send();
  });
}
