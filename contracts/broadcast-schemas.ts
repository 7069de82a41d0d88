import { z } from 'zod';
import { MESSAGE_TEXT_HARD_LIMIT, messagePriorities } from './message-schemas.ts';
import { catenaIdSchema, errorTypeSchema } from './operation-schemas.ts';

export const BROADCAST_RECIPIENTS_MAX = 5000;

/** Body of POST /api/broadcasts: name the drivers, or ask for all drivers of the connection. */
export const createBroadcastRequestSchema = z
  .object({
    connection_id: catenaIdSchema,
    sender_id: catenaIdSchema,
    recipient_ids: z
      .array(catenaIdSchema)
      .min(1, 'Choose at least one recipient.')
      .max(BROADCAST_RECIPIENTS_MAX, `A broadcast reaches at most ${BROADCAST_RECIPIENTS_MAX} drivers.`)
      .optional(),
    all_drivers: z.literal(true).optional(),
    message_text: z
      .string()
      .refine((text) => text.trim().length > 0, 'Write a message: the text is empty.')
      .max(MESSAGE_TEXT_HARD_LIMIT, `The text is longer than ${MESSAGE_TEXT_HARD_LIMIT} characters.`),
    priority: z.enum(messagePriorities).optional(),
  })
  .refine((b) => (b.recipient_ids ? !b.all_drivers : b.all_drivers === true), {
    message: 'Give either recipient_ids or all_drivers: true (not both).',
    path: ['recipient_ids'],
  });
export type CreateBroadcastRequest = z.infer<typeof createBroadcastRequestSchema>;

/** Where one recipient stands: not yet handed to Catena (`queued`), or its operation's status. */
export const recipientStatuses = ['queued', 'pending', 'success', 'failed'] as const;
export const recipientStatusSchema = z.enum(recipientStatuses);
export type RecipientStatus = z.infer<typeof recipientStatusSchema>;

export const broadcastCountsSchema = z.record(recipientStatusSchema, z.number().int().nonnegative());
export type BroadcastCounts = z.infer<typeof broadcastCountsSchema>;

export const broadcastSchema = z.object({
  id: catenaIdSchema,
  created_at: z.iso.datetime({ offset: true }),
  connection_id: catenaIdSchema,
  connection_name: z.string(),
  tsp: z.string(),
  sender_id: catenaIdSchema,
  sender_name: z.string(),
  message_text: z.string(),
  priority: z.enum(messagePriorities).nullable(),
  all_drivers: z.boolean(),
  recipient_count: z.number().int().nonnegative(),
  counts: broadcastCountsSchema,
  /** The broadcast this one resent to its failed recipients (broadcasts made before resend batches). */
  resend_of: catenaIdSchema.nullable(),
  resent_as: z.array(catenaIdSchema),
  /** The console user who sent it. */
  created_by_name: z.string().nullable().optional(),
  /**
   * "Resend to failed recipients": how many recipients it would send to now (those whose newest
   * message failed and is not being resent), and why not when none.
   */
  resend_failed: z
    .object({
      count: z.number().int().nonnegative(),
      reason: z.string().nullable(),
    })
    .optional(),
  /** The resend batches sent for this broadcast's failed recipients, oldest first. */
  resend_batch_ids: z.array(catenaIdSchema).optional(),
});
export type Broadcast = z.infer<typeof broadcastSchema>;

/** One send of a recipient's message: the first, then each resend. */
export const recipientAttemptSchema = z.object({
  operation_id: catenaIdSchema,
  status: z.enum(['pending', 'success', 'failed']),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
  last_error_type: errorTypeSchema.nullable(),
});
export type RecipientAttempt = z.infer<typeof recipientAttemptSchema>;

export const broadcastRecipientSchema = z.object({
  recipient_id: catenaIdSchema,
  name: z.string(),
  /** The state of the newest send of this recipient's message (a resend's, once resent). */
  status: recipientStatusSchema,
  /** The newest operation of this recipient's message. */
  operation_id: catenaIdSchema.nullable(),
  /** Every send of this recipient's message, first send first; several once resent. */
  history: z.array(recipientAttemptSchema).optional(),
  /** The request left but Catena's answer never came: the console is checking with Catena. */
  in_doubt: z.boolean().optional(),
  attempt_count: z.number().int().nonnegative(),
  last_error_type: errorTypeSchema.nullable(),
  /** Why Catena did not take the message, when it refused it outright. */
  error: z.string().nullable(),
});
export type BroadcastRecipient = z.infer<typeof broadcastRecipientSchema>;

/**
 * How fast a broadcast's queued recipients are being handed to Catena. The console sends as fast
 * as Catena lets it (one dispatcher, paused by Catena's 429s), so there is no configured pace to
 * read: it is measured from the broadcast's own recent sends, and null (unknown) until measured.
 */
export const broadcastPaceSchema = z.object({
  /** Recipients not yet handed to Catena. */
  queued: z.number().int().nonnegative(),
  /** Recipients handed to Catena per second over the last few seconds; null until enough have gone to say. */
  per_second: z.number().positive().nullable(),
  /** About how long until the last queued recipient is handed to Catena at that pace; null when the pace is unknown. */
  seconds_left: z.number().int().nonnegative().nullable(),
  /** Catena answered 429 (too many requests): every console server waits as long as Catena asked before sending more. */
  waiting_for_catena: z.boolean(),
});
export type BroadcastPace = z.infer<typeof broadcastPaceSchema>;

export const broadcastDetailSchema = broadcastSchema.extend({
  recipients: z.array(broadcastRecipientSchema),
  /** While recipients are queued, how fast they go; null once none is queued. Optional: older servers did not say. */
  pace: broadcastPaceSchema.nullable().optional(),
});
export type BroadcastDetail = z.infer<typeof broadcastDetailSchema>;

export const broadcastPageSchema = z.object({
  items: z.array(broadcastSchema),
  next_cursor: z.string().nullable(),
});

export const broadcastListQuerySchema = z.object({
  connection_id: catenaIdSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
