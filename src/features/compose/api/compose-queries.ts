import { mutationOptions, queryOptions } from '@tanstack/react-query';
import { broadcastDetailSchema, type BroadcastDetail, type CreateBroadcastRequest } from '../../../../contracts/broadcast-schemas.ts';
import { directoryUserListSchema } from '../../../../contracts/directory-schemas.ts';
import type { SendMessageRequest } from '../../../../contracts/message-schemas.ts';
import { operationDetailSchema, operationPageSchema, type OperationDetail } from '../../../../contracts/operation-schemas.ts';
import { apiGet, apiRequest } from '../../../lib/api-client.ts';
import { pollInterval } from '../../../lib/live-polling.ts';

/**
 * Server state of the Compose page (house style #4); the connections are src/lib/connection-queries.ts.
 * Operations and broadcasts are also read by other features; features do not import each other, so where two read the same
 * thing they use the same key, endpoint and schema and share one cache entry.
 */

/** People change rarely, and the server caches the directory briefly. */
const DIRECTORY_STALE_MS = 60_000;
/** A message is usually delivered within seconds: worth watching closely while it is pending. */
export const SENT_MESSAGE_POLL_MS = 1_500;
/** How many of a driver's latest delivered messages are offered to reply to. */
export const EARLIER_MESSAGES_LIMIT = 25;

export type DirectoryRole = 'driver' | 'dispatcher';

export const composeQueries = {
  /** The drivers or the dispatchers of one connection. */
  users: (connectionId: string, role: DirectoryRole) =>
    queryOptions({
      queryKey: ['users', 'list', { connection_id: connectionId, role }] as const,
      queryFn: ({ signal }) =>
        apiGet('/api/users', directoryUserListSchema, { query: { connection_id: connectionId, role }, signal }),
      staleTime: DIRECTORY_STALE_MS,
    }),

  /**
   * A driver's latest delivered messages (sent to or by them), to reply to one. Only delivered
   * ones: a reply names a Catena message id, which a message operation has once it succeeded.
   */
  deliveredMessages: (connectionId: string, driverId: string) =>
    queryOptions({
      queryKey: ['operations', 'replies', { connection_id: connectionId, participant_id: driverId }] as const,
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

  /**
   * The message just sent, polled while Catena is still working on it (house style #5) and not
   * once it is final; while the server does not answer, the polls back off. Same key as the
   * Operations page's drawer, so opening the log from here is instant.
   */
  operation: (operationId: string) =>
    queryOptions({
      queryKey: ['operations', 'detail', operationId] as const,
      queryFn: ({ signal }) =>
        apiGet(`/api/operations/${encodeURIComponent(operationId)}`, operationDetailSchema, { signal }),
      refetchInterval: (query) =>
        query.state.data?.status === 'pending' ? pollInterval(SENT_MESSAGE_POLL_MS, query.state) : false,
      refetchIntervalInBackground: false,
      staleTime: SENT_MESSAGE_POLL_MS - 500,
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
      mutationKey: ['operations', 'send-message'] as const,
      mutationFn: ({ body, idempotencyKey }: WriteVariables<SendMessageRequest>): Promise<OperationDetail> =>
        apiRequest('/api/messages', operationDetailSchema, {
          method: 'POST',
          json: body,
          headers: { 'Idempotency-Key': idempotencyKey },
          answerStatuses: [502],
        }),
      onSuccess: (operation, _variables, _onMutateResult, { client }) => {
        client.setQueryData(composeQueries.operation(operation.id).queryKey, operation);
        void client.invalidateQueries({ queryKey: ['operations', 'list'] });
      },
    }),

  /** Several drivers or all of them: one broadcast, recorded at once and sent in the background. */
  broadcast: () =>
    mutationOptions({
      mutationKey: ['broadcasts', 'create'] as const,
      mutationFn: ({ body, idempotencyKey }: WriteVariables<CreateBroadcastRequest>): Promise<BroadcastDetail> =>
        apiRequest('/api/broadcasts', broadcastDetailSchema, {
          method: 'POST',
          json: body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      onSuccess: (broadcast, _variables, _onMutateResult, { client }) => {
        // The Broadcasts feature's detail key: its page opens with the broadcast already known.
        client.setQueryData(['broadcasts', 'detail', broadcast.id], broadcast);
        void client.invalidateQueries({ queryKey: ['broadcasts', 'list'] });
      },
    }),
};
