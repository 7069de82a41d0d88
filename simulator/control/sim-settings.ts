/**
 * Settings that PUT /_sim/settings may change while the simulator runs. Everything that waits reads
 * them when it starts waiting, so a change applies to the next delay, not to one already running.
 */
export interface SimSettings {
  /** Multiplies every simulated delay: TSP latency and rate-limit waits, retry and webhook backoff. */
  timeScale: number;
  /** Catena API requests per second per client credential (burst = the same number). */
  apiRateLimitPerSecond: number;
  /**
   * How long after a subscription is created, updated or activated the stale circuit breaker does not
   * judge it (Catena: 15 minutes). Real time, not scaled: tests set it to 0 to see the breaker trip.
   */
  webhookStaleGraceMs: number;
}

/** Catena's documented grace period before a new or changed subscription can be staled. */
export const DEFAULT_WEBHOOK_STALE_GRACE_MS = 15 * 60 * 1000;
