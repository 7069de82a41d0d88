import { z } from 'zod';
import { catenaIdSchema, operationFiltersSchema, operationStatusSchema } from './operation-schemas.ts';

/** The most operations one bulk resend may cover; a larger selection is refused with a hint to narrow it. */
export const RESEND_BATCH_MAX = 10_000;

/** Why a selected operation is not resent. Every skip is counted under one of these. */
export const resendSkipReasons = [
  /** Its chain already holds a newer operation that is pending or succeeded, or a resend on its way. */
  'already_resent',
  /** It is pending or succeeded: nothing to fix. */
  'not_failed',
  /** It failed with an error that sending the same thing again cannot fix (`validation`). */
  'not_fixable',
  /** Its connection cannot take writes now (paused, disconnected), or its people are no longer active. */
  'connection_cannot_send',
  /** Not a write the console can send again (no write endpoint), or its payload lacks what is needed. */
  'not_resendable',
  /** Another selected operation of the same chain is resent instead. */
  'same_chain',
] as const;
export const resendSkipReasonSchema = z.enum(resendSkipReasons);
export type ResendSkipReason = z.infer<typeof resendSkipReasonSchema>;

export const resendSkipLabels: Record<ResendSkipReason, string> = {
  already_resent: 'already resent',
  not_failed: 'not failed',
  not_fixable: 'an error resending cannot fix (validation)',
  connection_cannot_send: 'a connection (or a driver) that cannot take it now',
  not_resendable: 'not a write the console can send again',
  same_chain: 'the same message selected twice',
};

/** Body of POST /api/resend-batches: some operations by id, or every operation a filter matches. */
export const createResendBatchRequestSchema = z
  .object({
    operation_ids: z.array(catenaIdSchema).min(1, 'Select at least one operation.').max(RESEND_BATCH_MAX).optional(),
    filter: z.lazy(() => operationFiltersSchema).optional(),
    dry_run: z.boolean().optional(),
  })
  .refine((b) => (b.operation_ids === undefined) !== (b.filter === undefined), {
    message: 'Give either operation_ids or filter (not both).',
    path: ['operation_ids'],
  });
export type CreateResendBatchRequest = z.infer<typeof createResendBatchRequestSchema>;

export const resendPreviewSchema = z.object({
  /** How many operations the selection covers. */
  selected: z.number().int().nonnegative(),
  will_resend: z.number().int().nonnegative(),
  skipped: z.partialRecord(resendSkipReasonSchema, z.number().int().positive()),
});
export type ResendPreview = z.infer<typeof resendPreviewSchema>;

/** Where one item of a batch stands: the console's own state until Catena took it, then its operation's. */
export const resendItemStates = ['queued', 'sending', 'in_doubt', 'pending', 'success', 'failed', 'refused', 'cancelled'] as const;
export const resendItemStateSchema = z.enum(resendItemStates);
export type ResendItemState = z.infer<typeof resendItemStateSchema>;

export const resendBatchItemSchema = z.object({
  position: z.number().int().nonnegative(),
  /** The failed operation this item resends (the newest of its chain when the batch was made). */
  resend_of: catenaIdSchema,
  /** The new operation, once Catena took it. */
  operation_id: catenaIdSchema.nullable(),
  connection_id: catenaIdSchema,
  recipient_name: z.string(),
  message_text: z.string(),
  state: resendItemStateSchema,
  operation_status: operationStatusSchema.nullable(),
  /** Why the console or Catena refused it, in words. */
  error: z.string().nullable(),
});
export type ResendBatchItem = z.infer<typeof resendBatchItemSchema>;

export const resendBatchSchema = z.object({
  id: z.uuid(),
  created_at: z.iso.datetime({ offset: true }),
  created_by_name: z.string().nullable(),
  /** What the person selected: some ids, or a filter (the whole result). */
  selection: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ids'), count: z.number().int().nonnegative() }),
    z.object({ kind: z.literal('filter'), filter: z.record(z.string(), z.unknown()) }),
    z.object({ kind: z.literal('broadcast'), broadcast_id: catenaIdSchema }),
  ]),
  selected: z.number().int().nonnegative(),
  will_resend: z.number().int().nonnegative(),
  skipped: z.partialRecord(resendSkipReasonSchema, z.number().int().positive()),
  counts: z.record(resendItemStateSchema, z.number().int().nonnegative()),
  cancelled_at: z.iso.datetime({ offset: true }).nullable(),
  /** Every item has left the console's hands (sent, refused or cancelled). */
  finished: z.boolean(),
});
export type ResendBatch = z.infer<typeof resendBatchSchema>;

export const resendBatchDetailSchema = resendBatchSchema.extend({
  items: z.array(resendBatchItemSchema),
});
export type ResendBatchDetail = z.infer<typeof resendBatchDetailSchema>;
