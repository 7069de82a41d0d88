import { mutationOptions, queryOptions } from '@tanstack/react-query';
import { operationDetailSchema, operationRecordSchema, type OperationDetail } from '../../../../contracts/operation-schemas.ts';
import { apiGet, apiRequest } from '../../../lib/api-client.ts';
import { operationDetailQueries } from '../../../lib/operation-detail-queries.ts';
import { operationQueries } from './operation-queries.ts';

/**
 * The log drawer's own server state (house style #4): the operation read as a record, and the
 * resend of a failed message. The operation itself, with its poll, is src/lib/operation-detail-queries.ts,
 * shared with Compose; the record sits under its key, so whatever refreshes the operation refreshes the record too.
 */

export const operationRecordQueries = {
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
