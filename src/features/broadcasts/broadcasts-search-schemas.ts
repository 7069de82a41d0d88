import { z } from 'zod';
import { recipientStatusSchema } from '../../../contracts/broadcast-schemas.ts';

/**
 * A broadcast's page keeps its recipient filter in the URL (house style #8), so "the failed
 * recipients of this broadcast" is a link. A value it does not know shows every recipient.
 */
export const broadcastSearchSchema = z.object({
  status: recipientStatusSchema.optional().catch(undefined),
});

export type BroadcastSearch = z.infer<typeof broadcastSearchSchema>;
