/**
 * Limits password guessing without handing an attacker a way to lock people out (decision 0011).
 *
 * Every attempt is reserved *before* its password is checked, synchronously, so a burst of
 * parallel guesses cannot all pass the check before the first failure is counted. Three budgets
 * in sliding windows, each counting attempts that did not succeed:
 * - per address: one client guessing many accounts;
 * - per account and address: one client guessing one account (the tight one);
 * - per account, from anywhere: many addresses guessing one account. A person signing in from a
 *   device that signed in to this account before (a signed device cookie) is not held by this one,
 *   so a distributed attack slows the attacker, not the account's owner.
 * Kept in memory: one console process serves a team; replicas would share it through the store.
 */
export type SignInLimits = {
  windowMs: number;
  perAddress: number;
  perAccountAndAddress: number;
  /** The global budget per account, over its own, longer window. */
  perAccount: number;
  perAccountWindowMs: number;
};

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  windowMs: 15 * 60 * 1000,
  perAddress: 20,
  perAccountAndAddress: 5,
  perAccount: 30,
  perAccountWindowMs: 60 * 60 * 1000,
};

export type LimitScope = 'address' | 'account_and_address' | 'account';

export type Reservation =
  | { allowed: true; succeeded(): void }
  | { allowed: false; retryAfterSeconds: number; scope: LimitScope };

type Budget = { key: string; limit: number; windowMs: number; scope: LimitScope };

export class SignInLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS) {}

  /**
   * Takes one attempt from every budget that applies, or none when any is spent (then says how
   * long until one frees up). Call before checking the password; call `succeeded()` on success.
   */
  reserve(email: string, ip: string, options: { knownDevice: boolean }): Reservation {
    const now = Date.now();
    const budgets: Budget[] = [
      { key: `ip:${ip}`, limit: this.limits.perAddress, windowMs: this.limits.windowMs, scope: 'address' },
      { key: `account-ip:${email}\n${ip}`, limit: this.limits.perAccountAndAddress, windowMs: this.limits.windowMs, scope: 'account_and_address' },
    ];
    if (!options.knownDevice) {
      budgets.push({ key: `account:${email}`, limit: this.limits.perAccount, windowMs: this.limits.perAccountWindowMs, scope: 'account' });
    }
    let blocked: { retryAfterSeconds: number; scope: LimitScope } | null = null;
    for (const budget of budgets) {
      const recent = this.recent(budget, now);
      if (recent.length >= budget.limit) {
        const oldest = recent[recent.length - budget.limit] ?? now;
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + budget.windowMs - now) / 1000));
        if (!blocked || retryAfterSeconds > blocked.retryAfterSeconds) blocked = { retryAfterSeconds, scope: budget.scope };
      }
    }
    if (blocked) return { allowed: false, ...blocked };

    for (const budget of budgets) this.recent(budget, now).push(now);
    if (this.attempts.size > 10_000) this.prune(now);
    return {
      allowed: true,
      succeeded: () => {
        // A success is no guess: it gives its attempt back, and clears this client's count for the
        // account. The address's other failures stay (one good password must not unlock guessing others).
        for (const budget of budgets) {
          const times = this.attempts.get(budget.key);
          const index = times?.lastIndexOf(now) ?? -1;
          if (times && index >= 0) times.splice(index, 1);
        }
        this.attempts.delete(`account-ip:${email}\n${ip}`);
      },
    };
  }

  private recent(budget: Budget, now: number): number[] {
    const times = (this.attempts.get(budget.key) ?? []).filter((at) => now - at < budget.windowMs);
    this.attempts.set(budget.key, times);
    return times;
  }

  private prune(now: number): void {
    const longest = Math.max(this.limits.windowMs, this.limits.perAccountWindowMs);
    for (const [key, times] of this.attempts) if (times.every((at) => now - at >= longest)) this.attempts.delete(key);
  }
}
