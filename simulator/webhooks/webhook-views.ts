import { isoTime } from '../lib/time.ts';
import { REDACTED, redactWebhookUrl } from './url-redaction.ts';
import type { WebhookRecord } from './webhook-store.ts';

/**
 * WebhookRead (plus `partner_id` and `deleted_at` from the Webhook model). The url is always
 * partially redacted; the secret is shown in full only in the create response.
 */
export function toWebhookRead(hook: WebhookRecord, options: { revealSecret: boolean } = { revealSecret: false }) {
  return {
    id: hook.id,
    partner_id: hook.partner_id,
    url: redactWebhookUrl(hook.url),
    event_name: hook.event_name,
    filters: hook.filters,
    secret: options.revealSecret ? hook.secret : REDACTED,
    status: hook.status,
    created_at: isoTime(hook.created_at),
    updated_at: isoTime(hook.updated_at),
    deleted_at: hook.deleted_at === null ? null : isoTime(hook.deleted_at),
  };
}
