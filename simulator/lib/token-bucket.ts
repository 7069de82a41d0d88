/**
 * A token bucket whose rate may change while it runs (settings, time scale).
 * `tryTake` answers at once (Catena's API limit: over it is a 429); `reserve` books a token that
 * may lie in the future and returns how long to wait (a TSP's limit: work over it waits, in order).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: () => number,
    private readonly capacity: () => number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity();
    this.last = now();
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.capacity(), this.tokens + elapsed * this.ratePerSecond());
  }

  /** Takes a token now, or says in how many milliseconds one will be there. */
  tryTake(): { ok: true } | { ok: false; retryAfterMs: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: ((1 - this.tokens) / this.ratePerSecond()) * 1000 };
  }

  /**
   * Takes a token even if there is none yet (the balance goes negative: a queue of bookings)
   * and returns the milliseconds until the booked token is due; 0 when one was there.
   */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond()) * 1000;
  }
}
