/**
 * Settings that PUT /_sim/settings may change while the simulator runs. Everything that waits reads
 * them when it starts waiting, so a change applies to the next delay, not to one already running.
 */
export interface SimSettings {
  /** Multiplies every simulated delay: TSP latency and rate-limit waits, retry and webhook backoff. */
  timeScale: number;
  /** Catena API requests per second per client credential (burst = the same number). */
  apiRateLimitPerSecond: number;
}
