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
  /** The broadcast this one resent to its failed recipients. */
  resend_of: catenaIdSchema.nullable(),
  resent_as: z.array(catenaIdSchema),
  /** The console user who sent it. */
  created_by_name: z.string().nullable().optional(),
});
export type Broadcast = z.infer<typeof broadcastSchema>;

export const broadcastRecipientSchema = z.object({
  recipient_id: catenaIdSchema,
  name: z.string(),
  status: recipientStatusSchema,
  operation_id: catenaIdSchema.nullable(),
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
