import { z } from 'zod';
import { catenaIdSchema } from './operation-schemas.ts';

/**
 * A send in doubt: the request left for Catena but its answer never came (a timeout, a 5xx, a
 * crash). The console keeps its idempotency key and recipient claimed until it has settled the
 * send against Catena's own list, once the request can no longer land (decision 0020).
 *
 * `POST /api/messages` and `POST /api/operations/{id}/resend` answer such a send with 504 and
 * this code; `GET /api/sends/{send_id}` tells how it settled.
 */
export const SEND_IN_DOUBT = 'send_in_doubt';

export const sendInDoubtDetailsSchema = z.object({
  send_id: z.uuid(),
  /** When the console will have settled it at the latest (the request can no longer land then). */
  settles_at: z.iso.datetime({ offset: true }),
});
export type SendInDoubtDetails = z.infer<typeof sendInDoubtDetailsSchema>;

/**
 * GET /api/sends/{id}. `in_doubt`: not confirmed yet, the console is checking with Catena;
 * `sent`: Catena has it, as `operation_id`; `not_sent`: Catena never received it, sending again
 * (with the same Idempotency-Key) is safe; `refused`: Catena said no, nothing was sent.
 */
export const sendStates = ['sending', 'in_doubt', 'sent', 'not_sent', 'refused'] as const;
export const sendStatusSchema = z.object({
  id: z.uuid(),
  state: z.enum(sendStates),
  operation_id: catenaIdSchema.nullable(),
  settles_at: z.iso.datetime({ offset: true }).nullable(),
  message: z.string(),
});
export type SendStatus = z.infer<typeof sendStatusSchema>;
