import { z } from 'zod';

/**
 * The console's own webhook subscription at Catena, as admins see it (GET /api/webhook-subscription)
 * and as the header sees it (GET /api/health → webhooks.subscription). Catena keeps one subscription
 * per event (created, succeeded, failed); the console shows them as one: its state is the worst of
 * the three, its counts are their sums.
 */

/**
 * `unknown`: the console has not been able to read it yet (Catena unreachable, or no subscription
 * made yet). `missing`: Catena has none of the console's subscriptions (it will make them again).
 */
export const webhookSubscriptionStates = ['active', 'paused', 'stale', 'missing', 'unknown'] as const;
export const webhookSubscriptionStateSchema = z.enum(webhookSubscriptionStates);
export type WebhookSubscriptionState = z.infer<typeof webhookSubscriptionStateSchema>;

export const webhookDeliveryFailureSchema = z.object({
  at: z.string(),
  event_name: z.string(),
  /** The HTTP status the console answered; null when no answer reached Catena (refused, timed out). */
  status_code: z.number().int().nullable(),
  error_message: z.string().nullable(),
});
export type WebhookDeliveryFailure = z.infer<typeof webhookDeliveryFailureSchema>;

export const webhookSubscriptionSchema = z.object({
  status: webhookSubscriptionStateSchema,
  /** Each of Catena's subscriptions: which event, in which state. */
  subscriptions: z.array(z.object({ event_name: z.string(), status: z.string() })),
  metrics: z.object({
    /** Delivery attempts in the last 24 h, and how many of them the console answered 2xx. */
    attempts_24h: z.number().int().nonnegative(),
    succeeded_attempts_24h: z.number().int().nonnegative(),
    /** Percentage (0–100, one decimal) of those attempts that succeeded; null with no attempts. */
    delivery_success_24h: z.number().min(0).max(100).nullable(),
    /** Events Catena gave up delivering (or held while paused/stale), waiting for a replay. */
    dlq_count: z.number().int().nonnegative(),
    /** Catena's smoothed success rate (0–1) that stales the subscription under 0.95; the lowest of the three. */
    ewma_success_rate: z.number().nullable(),
  }),
  /** The last failed delivery attempts, newest first. */
  last_failures: z.array(webhookDeliveryFailureSchema),
  /** When the console last read this from Catena. */
  checked_at: z.string(),
});
export type WebhookSubscriptionView = z.infer<typeof webhookSubscriptionSchema>;

/** POST /api/webhook-subscription/replay: what was done, and the state after it. */
export const webhookReplayResultSchema = z.object({
  reactivated: z.number().int().nonnegative(),
  /** How many events Catena was asked to deliver again (the DLQ counts before the replay). */
  replayed: z.number().int().nonnegative(),
  subscription: webhookSubscriptionSchema,
});
export type WebhookReplayResult = z.infer<typeof webhookReplayResultSchema>;
