import { mutationOptions } from '@tanstack/react-query';
import { resendBatchDetailSchema, type ResendBatchDetail } from '../../../../contracts/resend-batch-schemas.ts';
import { apiRequest } from '../../../lib/api-client.ts';
import { broadcastQueries } from '../../../lib/broadcast-queries.ts';

/**
 * The Broadcasts pages' own writes (house style #4). The broadcasts' queries, their keys and their
 * polling are src/lib/broadcast-queries.ts, shared with Compose.
 */

export type ResendFailedVariables = {
  broadcastId: string;
  /** One per confirmation; the same again if that confirmation is retried after an error. */
  idempotencyKey: string;
};

export const broadcastMutations = {
  /**
   * A bulk resend of the recipients whose newest message failed (the server picks them). Answers
   * with the batch; the broadcast is refreshed, and from then on each resent recipient's newest
   * state is its resend's, so the page follows them live where it is.
   */
  resendFailed: () =>
    mutationOptions({
      mutationKey: [...broadcastQueries.all(), 'resend-failed'] as const,
      mutationFn: ({ broadcastId, idempotencyKey }: ResendFailedVariables): Promise<ResendBatchDetail> =>
        apiRequest(`/api/broadcasts/${encodeURIComponent(broadcastId)}/resend-failed`, resendBatchDetailSchema, {
          method: 'POST',
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      onSuccess: (_batch, _variables, _onMutateResult, { client }) => client.invalidateQueries({ queryKey: broadcastQueries.all() }),
    }),
};
