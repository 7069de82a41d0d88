import { z } from 'zod';
import { webhookSubscriptionStateSchema } from './webhook-subscription-schemas.ts';

/** Operations from Catena (webhook or list) refused because they could never be stored: how many, the last and why. */
export const refusedOperationsSchema = z.object({
  total: z.number().int().nonnegative(),
  last_at: z.string().nullable(),
  last_via: z.enum(['webhook', 'reconciler']).nullable(),
  last_reason: z.string().nullable(),
});
export type RefusedOperationsTally = z.infer<typeof refusedOperationsSchema>;

export const healthSchema = z.object({
  ok: z.boolean(),
  upstream: z.object({
    reachable: z.boolean(),
    last_success_at: z.string().nullable(),
    last_error: z.string().nullable(),
  }),
  webhooks: z.object({
    last_received_at: z.string().nullable(),
    /** Our subscription at Catena: not `active` means Catena is not delivering (decision 0043). */
    subscription: webhookSubscriptionStateSchema,
  }),
  /** Admins only. */
  refused_operations: refusedOperationsSchema.optional(),
});
export type Health = z.infer<typeof healthSchema>;

/** GET /api/health/ready: whether this server should be sent requests (for load balancers). */
export const readinessSchema = z.object({
  ok: z.boolean(),
  /** Why not, when not: the store does not answer, or the server is stopping. */
  reason: z.enum(['store_unreachable', 'stopping']).nullable(),
});
export type Readiness = z.infer<typeof readinessSchema>;
