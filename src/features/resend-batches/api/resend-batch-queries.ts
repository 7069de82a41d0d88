import { mutationOptions, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  resendBatchDetailSchema,
  resendBatchSchema,
  resendPreviewSchema,
  type CreateResendBatchRequest,
  type ResendBatch,
  type ResendBatchDetail,
} from '../../../../contracts/resend-batch-schemas.ts';
import { apiGet, apiRequest } from '../../../lib/api-client.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { pollInterval } from '../../../lib/live-polling.ts';

/**
 * Server state of bulk resends (house style #4). Polling is declared here once (house style #5):
 * a batch is followed closely while it still has something to wait for, and not at all after.
 */

/** Items move every few hundred milliseconds while a batch is sent, paced to Catena's limit. */
export const RESEND_BATCH_POLL_MS = 2_000;
/** The list still looks for batches that colleagues start. */
export const RESEND_BATCH_LIST_IDLE_POLL_MS = 30_000;

/** What a bulk resend covers: some operations by id, or every operation a filter matches. */
export type ResendSelection = Pick<CreateResendBatchRequest, 'operation_ids' | 'filter'>;

const resendBatchPageSchema = z.object({ items: z.array(resendBatchSchema), next_cursor: z.string().nullable() });

/**
 * Whether a batch can still change: the console has not handed every item over yet (`finished`),
 * or Catena has not settled every resend it took. Only then is there nothing left to wait for.
 */
export function isUnderWay(batch: ResendBatch): boolean {
  return !batch.finished || batch.counts.pending + batch.counts.in_doubt > 0;
}

export const resendBatchQueries = {
  all: () => ['resend-batches'] as const,
  lists: () => [...resendBatchQueries.all(), 'list'] as const,

  /** Newest first. */
  list: () =>
    queryOptions({
      queryKey: resendBatchQueries.lists(),
      queryFn: ({ signal }) => apiGet('/api/resend-batches', resendBatchPageSchema, { signal }),
      refetchInterval: (query) => {
        const underWay = query.state.data?.items.some(isUnderWay) ?? false;
        return pollInterval(underWay ? RESEND_BATCH_POLL_MS : RESEND_BATCH_LIST_IDLE_POLL_MS, query.state);
      },
      refetchIntervalInBackground: false,
      staleTime: RESEND_BATCH_POLL_MS - 500,
    }),

  /** One batch with every item; live while it is under way. */
  detail: (batchId: string) =>
    queryOptions({
      queryKey: [...resendBatchQueries.all(), 'detail', batchId] as const,
      queryFn: ({ signal }) => apiGet(`/api/resend-batches/${encodeURIComponent(batchId)}`, resendBatchDetailSchema, { signal }),
      refetchInterval: (query) => {
        const data = query.state.data;
        return data !== undefined && isUnderWay(data) ? pollInterval(RESEND_BATCH_POLL_MS, query.state) : false;
      },
      refetchIntervalInBackground: false,
      staleTime: RESEND_BATCH_POLL_MS - 500,
    }),

  /**
   * The server's count of what a resend of `selection` would do, before anything is sent: a dry
   * run of the same request (the rule of what is skipped, and why, lives there only). Asked anew
   * each time the preview opens; a dry run sends nothing, so its key is its own.
   */
  preview: (selection: ResendSelection) =>
    queryOptions({
      queryKey: [...resendBatchQueries.all(), 'preview', selection] as const,
      queryFn: ({ signal }) =>
        apiRequest('/api/resend-batches', resendPreviewSchema, {
          method: 'POST',
          json: { ...selection, dry_run: true },
          headers: { 'Idempotency-Key': newIdempotencyKey() },
          signal,
        }),
      staleTime: 0,
      gcTime: 0,
      refetchOnWindowFocus: false,
    }),
};

export type CreateResendBatchVariables = {
  selection: ResendSelection;
  /** One per confirmation; the same again if that confirmation is retried after an error. */
  idempotencyKey: string;
};

export type CancelResendBatchVariables = { batchId: string; idempotencyKey: string };

export const resendBatchMutations = {
  /** Starts the batch; its detail goes into the cache so its page opens at once. */
  create: () =>
    mutationOptions({
      mutationKey: [...resendBatchQueries.all(), 'create'] as const,
      mutationFn: ({ selection, idempotencyKey }: CreateResendBatchVariables): Promise<ResendBatchDetail> =>
        apiRequest('/api/resend-batches', resendBatchDetailSchema, {
          method: 'POST',
          json: selection,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      onSuccess: (created, _variables, _onMutateResult, { client }) => {
        client.setQueryData(resendBatchQueries.detail(created.id).queryKey, created);
        void client.invalidateQueries({ queryKey: resendBatchQueries.lists() });
      },
    }),

  /** What was not sent yet is not sent; the answer is the batch as it now stands. */
  cancel: () =>
    mutationOptions({
      mutationKey: [...resendBatchQueries.all(), 'cancel'] as const,
      mutationFn: ({ batchId, idempotencyKey }: CancelResendBatchVariables): Promise<ResendBatchDetail> =>
        apiRequest(`/api/resend-batches/${encodeURIComponent(batchId)}/cancel`, resendBatchDetailSchema, {
          method: 'POST',
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      onSuccess: (batch, _variables, _onMutateResult, { client }) => {
        client.setQueryData(resendBatchQueries.detail(batch.id).queryKey, batch);
        void client.invalidateQueries({ queryKey: resendBatchQueries.lists() });
      },
    }),
};
