import { mutationOptions, queryOptions } from '@tanstack/react-query';
import {
  webhookReplayResultSchema,
  webhookSubscriptionSchema,
  type WebhookReplayResult,
} from '../../../../contracts/webhook-subscription-schemas.ts';
import { apiGet, apiRequest } from '../../../lib/api-client.ts';

/**
 * Our webhook subscription at Catena (admins). The server shares one read of Catena for 5 s among
 * everyone asking, so polling a little slower than that costs Catena nothing more.
 */
export const WEBHOOK_SUBSCRIPTION_POLL_MS = 10_000;

export const webhookSubscriptionQueries = {
  all: () => ['webhook-subscription'] as const,
  detail: () =>
    queryOptions({
      queryKey: [...webhookSubscriptionQueries.all(), 'detail'] as const,
      queryFn: ({ signal }) => apiGet('/api/webhook-subscription', webhookSubscriptionSchema, { signal }),
      refetchInterval: WEBHOOK_SUBSCRIPTION_POLL_MS,
      refetchIntervalInBackground: false,
      staleTime: WEBHOOK_SUBSCRIPTION_POLL_MS - 1_000,
    }),
};

export const webhookSubscriptionMutations = {
  replay: () =>
    mutationOptions({
      mutationKey: [...webhookSubscriptionQueries.all(), 'replay'] as const,
      mutationFn: (): Promise<WebhookReplayResult> => apiRequest('/api/webhook-subscription/replay', webhookReplayResultSchema, { method: 'POST' }),
      onSuccess: (result, _variables, _onMutateResult, { client }) => {
        // The answer carries the state after the replay. The header catches up at its next health
        // poll (a few seconds); it is another feature's cache, not written from here.
        client.setQueryData(webhookSubscriptionQueries.detail().queryKey, result.subscription);
      },
    }),
};
