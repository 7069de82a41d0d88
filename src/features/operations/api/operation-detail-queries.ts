import { mutationOptions, queryOptions } from '@tanstack/react-query';
import { operationDetailSchema, operationRecordSchema, type OperationDetail } from '../../../../contracts/operation-schemas.ts';
import { apiGet, apiRequest } from '../../../lib/api-client.ts';
import { pollInterval } from '../../../lib/live-polling.ts';
import { operationQueries } from './operation-queries.ts';

/**
 * Server state of the log drawer (house style #4): one operation with its attempts, and the
 * resend of a failed message. The detail sits under the operations root key, so whatever
 * invalidates the operations (a resend, the page's own refresh) refreshes an open drawer too.
 */

/** Catena retries within seconds; a pending operation is worth watching closely. */
export const OPERATION_DETAIL_POLL_MS = 2_000;

export const operationDetailQueries = {
  all: () => [...operationQueries.all(), 'detail'] as const,

  /**
   * Polled while the operation is pending (Catena may still retry it), not once it is final
   * (house style #5); while the server does not answer, the polls back off. Paused while the
   * tab is hidden.
   */
  detail: (operationId: string) =>
    queryOptions({
      queryKey: [...operationDetailQueries.all(), operationId] as const,
      queryFn: ({ signal }) =>
        apiGet(`/api/operations/${encodeURIComponent(operationId)}`, operationDetailSchema, { signal }),
      // Polled while this operation, or the newest send of its chain (what the drawer says of it:
      // "Already resent as … (Succeeded)"), is still pending.
      refetchInterval: (query) =>
        query.state.data?.status === 'pending' || query.state.data?.chain?.at(-1)?.status === 'pending'
          ? pollInterval(OPERATION_DETAIL_POLL_MS, query.state)
          : false,
      refetchIntervalInBackground: false,
      staleTime: OPERATION_DETAIL_POLL_MS - 500,
    }),

  /**
   * The operation read as a record: the record before an update, its changes, the names of its
   * ids, a newer update of the same record. Changes only when the store does: not polled.
   */
  record: (operationId: string) =>
    queryOptions({
      queryKey: [...operationDetailQueries.all(), operationId, 'record'] as const,
      queryFn: ({ signal }) => apiGet(`/api/operations/${encodeURIComponent(operationId)}/record`, operationRecordSchema, { signal }),
      staleTime: 10_000,
    }),
};

export type ResendVariables = {
  operationId: string;
  /** One per intent to resend (the person's confirmation); the same again when that intent is retried. */
  idempotencyKey: string;
};

export const operationDetailMutations = {
  /**
   * Sends a failed message's payload again as a new operation (the server links the two).
   * Answers with the new operation, which is put in the cache so opening it is instant; every
   * operations query is then refreshed (the list gains a row, the old detail its "resent as").
   */
  resend: () =>
    mutationOptions({
      mutationKey: [...operationQueries.all(), 'resend'] as const,
      mutationFn: ({ operationId, idempotencyKey }: ResendVariables): Promise<OperationDetail> =>
        apiRequest(`/api/operations/${encodeURIComponent(operationId)}/resend`, operationDetailSchema, {
          method: 'POST',
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      onSuccess: (created, _variables, _onMutateResult, { client }) => {
        client.setQueryData(operationDetailQueries.detail(created.id).queryKey, created);
        // Not awaited: the new operation is known now; the refresh may take a moment.
        void client.invalidateQueries({ queryKey: operationQueries.all() });
      },
    }),
};
