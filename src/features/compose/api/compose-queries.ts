import { mutationOptions, queryOptions } from '@tanstack/react-query';
import { broadcastDetailSchema, type BroadcastDetail, type CreateBroadcastRequest } from '../../../../contracts/broadcast-schemas.ts';
import type { SendMessageRequest } from '../../../../contracts/message-schemas.ts';
import { operationDetailSchema, operationPageSchema, type OperationDetail } from '../../../../contracts/operation-schemas.ts';
import { apiGet, apiRequest } from '../../../lib/api-client.ts';
import { broadcastQueries } from '../../../lib/broadcast-queries.ts';
import { operationDetailQueries, operationKeys } from '../../../lib/operation-detail-queries.ts';

/**
 * The Compose page's own server state (house style #4). What other features show too has one
 * factory in src/lib, used here as it is there: the connections (connection-queries.ts), the
 * people (user-queries.ts), the sent message (operation-detail-queries.ts, the drawer's entry and
 * poll) and the broadcasts (broadcast-queries.ts).
 */

/** How many of a driver's latest delivered messages are offered to reply to. */
export const EARLIER_MESSAGES_LIMIT = 25;

export const composeQueries = {
  /**
   * A driver's latest delivered messages (sent to or by them), to reply to one. Only delivered
   * ones: a reply names a Catena message id, which a message operation has once it succeeded.
   * Under the operations' root key, so whatever refreshes every operation query refreshes it too.
   */
  deliveredMessages: (connectionId: string, driverId: string) =>
    queryOptions({
      queryKey: [...operationKeys.all(), 'replies', { connection_id: connectionId, participant_id: driverId }] as const,
      queryFn: ({ signal }) =>
        apiGet('/api/operations', operationPageSchema, {
          query: {
            resource: 'message',
            status: 'success',
            connection_id: connectionId,
            participant_id: driverId,
            limit: EARLIER_MESSAGES_LIMIT,
          },
          signal,
        }),
      staleTime: 30_000,
    }),
};

export type WriteVariables<TBody> = {
  body: TBody;
  /** One per compose intent; the same again when that intent is retried (docs/decisions/0003). */
  idempotencyKey: string;
};

export const composeMutations = {
  /**
   * One message. Answers with its operation: 202 pending (async), 200 success or 502 failed (sync;
   * the TSP's answer, no retries). A sync failure is an answer here, not an error: nothing went
   * wrong between the browser and the console, and the operation says what the TSP said.
   */
  send: () =>
    mutationOptions({
      mutationKey: [...operationKeys.all(), 'send-message'] as const,
      mutationFn: ({ body, idempotencyKey }: WriteVariables<SendMessageRequest>): Promise<OperationDetail> =>
        apiRequest('/api/messages', operationDetailSchema, {
          method: 'POST',
          json: body,
          headers: { 'Idempotency-Key': idempotencyKey },
          answerStatuses: [502],
        }),
      onSuccess: (operation, _variables, _onMutateResult, { client }) => {
        // The drawer's entry: the sent message is followed by its poll, and its log opens at once.
        client.setQueryData(operationDetailQueries.detail(operation.id).queryKey, operation);
        void client.invalidateQueries({ queryKey: operationKeys.lists() });
      },
    }),

  /** Several drivers or all of them: one broadcast, recorded at once and sent in the background. */
  broadcast: () =>
    mutationOptions({
      mutationKey: [...broadcastQueries.all(), 'create'] as const,
      mutationFn: ({ body, idempotencyKey }: WriteVariables<CreateBroadcastRequest>): Promise<BroadcastDetail> =>
        apiRequest('/api/broadcasts', broadcastDetailSchema, {
          method: 'POST',
          json: body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      onSuccess: (broadcast, _variables, _onMutateResult, { client }) => {
        // The Broadcasts page opens with the broadcast already known.
        client.setQueryData(broadcastQueries.detail(broadcast.id).queryKey, broadcast);
        void client.invalidateQueries({ queryKey: broadcastQueries.lists() });
      },
    }),
};
