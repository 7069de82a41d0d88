/**
 * Counts failed sign-ins per account name and per address in a sliding window, and says when to
 * stop listening. Kept in memory: one console process serves a team; replicas would share it
 * through the store.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly windowMs = 15 * 60 * 1000,
    private readonly perAccount = 5,
    private readonly perAddress = 20,
  ) {}

  /** Seconds until `email` from `ip` may try again, or 0 when it may now. */
  retryAfterSeconds(email: string, ip: string): number {
    return Math.max(this.blockedFor(`account:${email}`, this.perAccount), this.blockedFor(`ip:${ip}`, this.perAddress));
  }

  recordFailure(email: string, ip: string): void {
    const now = Date.now();
    for (const key of [`account:${email}`, `ip:${ip}`]) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.set(key, recent);
    }
    if (this.failures.size > 10_000) this.prune(now);
  }

  /** A success clears the account's count (not the address's: one good password must not unlock guessing others). */
  recordSuccess(email: string): void {
    this.failures.delete(`account:${email}`);
  }

  private blockedFor(key: string, limit: number): number {
    const now = Date.now();
    const recent = this.recent(key, now);
    if (recent.length < limit) return 0;
    const oldest = recent[recent.length - limit] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) if (times.every((at) => now - at >= this.windowMs)) this.failures.delete(key);
  }
}
