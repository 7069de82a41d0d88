import type { SimSettings } from '../control/sim-settings.ts';
import { TooManyRequestsError } from '../http/catena-errors.ts';
import { TokenBucket } from '../lib/token-bucket.ts';

/**
 * Catena's API limit, per client credential: a token bucket of `apiRateLimitPerSecond` per second
 * with a burst of the same size. Real time, not scaled: it limits the client, not the simulation.
 */
export class ApiRateLimiter {
  private buckets = new Map<string, TokenBucket>();

  constructor(private readonly settings: SimSettings) {}

  /** Throws the 429 when the client is over its limit. */
  take(clientId: string): void {
    let bucket = this.buckets.get(clientId);
    if (!bucket) {
      bucket = new TokenBucket(
        () => this.settings.apiRateLimitPerSecond,
        () => this.settings.apiRateLimitPerSecond,
      );
      this.buckets.set(clientId, bucket);
    }
    const taken = bucket.tryTake();
    if (!taken.ok) {
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      throw new TooManyRequestsError(
        seconds,
        `Rate limit of ${this.settings.apiRateLimitPerSecond} requests per second exceeded for this client; retry after ${seconds} s`,
      );
    }
  }

  /** New settings or a reset start every client with a full bucket. */
  reset(): void {
    this.buckets = new Map();
  }
}
