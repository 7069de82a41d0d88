import { z } from 'zod';

export const healthSchema = z.object({
  ok: z.boolean(),
  upstream: z.object({
    reachable: z.boolean(),
    last_success_at: z.string().nullable(),
    last_error: z.string().nullable(),
  }),
  webhooks: z.object({
    last_received_at: z.string().nullable(),
  }),
});
export type Health = z.infer<typeof healthSchema>;
