import type { Health } from '../../../../contracts/health-schemas.ts';
import type { WebhookSubscriptionState } from '../../../../contracts/webhook-subscription-schemas.ts';

export type HealthLevel = 'checking' | 'ok' | 'webhooks-stopped' | 'upstream-down' | 'server-down';

/** Catena is not delivering webhooks to the console in these states (decision 0043). */
export function webhooksStopped(state: WebhookSubscriptionState): boolean {
  return state === 'stale' || state === 'paused' || state === 'missing';
}

/** The subscription's state in words, for everyone who sees the header. */
export const webhookStateWords: Record<WebhookSubscriptionState, { value: string; why: string }> = {
  active: { value: 'Subscription active', why: 'Catena delivers each event as it happens.' },
  stale: {
    value: 'Subscription stale — not delivering',
    why: 'Catena stopped delivering after repeated failed deliveries. The console reactivates it and replays the missed events; until then the list updates only every reconcile.',
  },
  paused: {
    value: 'Subscription paused — not delivering',
    why: 'Someone paused it at Catena. The console reactivates it and replays the missed events; until then the list updates only every reconcile.',
  },
  missing: {
    value: 'Not subscribed',
    why: 'Catena has none of the console’s subscriptions; the console makes them again at its next check.',
  },
  unknown: { value: 'Subscription not checked yet', why: 'The console has not been able to read it from Catena lately.' },
};

/**
 * One word for the header from the latest poll. A failed /api/health means the console server
 * itself is not answering, whatever an older answer said.
 */
export function healthLevel(query: { data: Health | undefined; isError: boolean }): HealthLevel {
  if (query.isError) return 'server-down';
  if (!query.data) return 'checking';
  if (!query.data.upstream.reachable) return 'upstream-down';
  return webhooksStopped(query.data.webhooks.subscription) ? 'webhooks-stopped' : 'ok';
}

export const healthLevelLabels: Record<HealthLevel, string> = {
  checking: 'Checking connections…',
  ok: 'Catena connected',
  'webhooks-stopped': 'Catena webhooks stopped',
  'upstream-down': 'Catena unreachable',
  'server-down': 'Console server unreachable',
};

/** For narrow headers; the button's accessible name always carries the full label. */
export const healthLevelShortLabels: Record<HealthLevel, string> = {
  checking: 'Checking…',
  ok: 'Catena OK',
  'webhooks-stopped': 'Webhooks off',
  'upstream-down': 'Catena down',
  'server-down': 'Server down',
};
