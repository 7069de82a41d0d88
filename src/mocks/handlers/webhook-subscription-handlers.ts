import { http, HttpResponse } from 'msw';
import type { WebhookReplayResult, WebhookSubscriptionView } from '../../../contracts/webhook-subscription-schemas.ts';
import { activeSubscriptionFixture } from '../fixtures/webhook-subscription-fixtures.ts';

/** The happy path: an active subscription; replay finds nothing to do. Tests override for stale ones. */
export const webhookSubscriptionHandlers = [
  http.get('/api/webhook-subscription', () => HttpResponse.json<WebhookSubscriptionView>(activeSubscriptionFixture())),
  http.post('/api/webhook-subscription/replay', () =>
    HttpResponse.json<WebhookReplayResult>({ reactivated: 0, replayed: 0, subscription: activeSubscriptionFixture() }),
  ),
];
