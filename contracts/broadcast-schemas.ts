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

export const broadcastDetailSchema = broadcastSchema.extend({
  recipients: z.array(broadcastRecipientSchema),
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
