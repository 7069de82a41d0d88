import { z } from 'zod';
import { catenaIdSchema } from './operation-schemas.ts';

export const messagePriorities = ['low', 'medium', 'high'] as const;

/**
 * Catena sets no length limit of its own; each TSP has one, and exceeding it fails the operation
 * with `validation`. The console refuses absurd sizes up front so a pasted file never goes upstream.
 */
export const MESSAGE_TEXT_HARD_LIMIT = 10_000;

/** Body of POST /api/messages. */
export const sendMessageRequestSchema = z.object({
  connection_id: catenaIdSchema,
  sender_id: catenaIdSchema,
  recipient_id: catenaIdSchema,
  message_text: z
    .string()
    .refine((text) => text.trim().length > 0, 'Write a message: the text is empty.')
    .max(MESSAGE_TEXT_HARD_LIMIT, `The text is longer than ${MESSAGE_TEXT_HARD_LIMIT} characters.`),
  priority: z.enum(messagePriorities).optional(),
  reply_to_message_id: catenaIdSchema.optional(),
  is_sync: z.boolean().optional(),
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;

/** The Idempotency-Key header: a client-chosen token, the same for every retry of one intent. */
export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(8, 'Idempotency-Key must have at least 8 characters')
  .max(200, 'Idempotency-Key must have at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII without spaces');
