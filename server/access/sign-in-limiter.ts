import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { firstOf, rowsOf } from '../db/query.ts';

/**
 * Limits password guessing without handing an attacker a way to lock people out (decision 0011).
 *
 * Every attempt is reserved *before* its password is checked, in one transaction that holds its
 * budgets' locks, so a burst of parallel guesses (on any servers) cannot all pass the check before
 * the first failure is counted. Three budgets
 * in sliding windows, each counting attempts that did not succeed:
 * - per address: one client guessing many accounts;
 * - per account and address: one client guessing one account (the tight one);
 * - per account, from anywhere: many addresses guessing one account. A person signing in from a
 *   device that signed in to this account before (a signed device cookie) is not held by this one,
 *   so a distributed attack slows the attacker, not the account's owner.
 * Kept in the store, on the database's clock: every server of several counts the same attempts.
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

export type Reservation = { allowed: true; succeeded(): Promise<void> } | { allowed: false; retryAfterSeconds: number; scope: LimitScope };

type Budget = { key: string; limit: number; windowMs: number; scope: LimitScope };

export class SignInLimiter {
  constructor(
    private readonly store: StoreDatabase,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  /**
   * Takes one attempt from every budget that applies, or none when any is spent (then says how
   * long until one frees up). Call before checking the password; call `succeeded()` on success.
   */
  async reserve(email: string, ip: string, options: { knownDevice: boolean }): Promise<Reservation> {
    const budgets: Budget[] = [
      { key: `ip:${ip}`, limit: this.limits.perAddress, windowMs: this.limits.windowMs, scope: 'address' },
      { key: `account-ip:${email}\n${ip}`, limit: this.limits.perAccountAndAddress, windowMs: this.limits.windowMs, scope: 'account_and_address' },
    ];
    if (!options.knownDevice) {
      budgets.push({ key: `account:${email}`, limit: this.limits.perAccount, windowMs: this.limits.perAccountWindowMs, scope: 'account' });
    }
    const { db, dialect } = this.store;
    const reserved = await db.transaction().execute(async (trx) => {
      // In one order on every server, so two reservations never wait on each other's locks.
      for (const key of budgets.map((b) => b.key).sort()) await dialect.lock(trx, `sign-in:${key}`);
      const now = Date.parse((await firstOf(trx, sql<{ now: string }>`SELECT ${dialect.now()} AS now`))?.now ?? '');
      let blocked: { retryAfterSeconds: number; scope: LimitScope } | null = null;
      for (const budget of budgets) {
        // The attempt that frees up first once the budget is spent: the limit-th newest in the window.
        const rows = await rowsOf(
          trx,
          sql<{ at: string }>`SELECT at FROM sign_in_attempts WHERE budget = ${budget.key} AND at > ${new Date(now - budget.windowMs).toISOString()}
            ORDER BY at DESC LIMIT ${budget.limit}`,
        );
        const oldest = rows.at(-1);
        if (rows.length >= budget.limit && oldest) {
          const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(oldest.at) + budget.windowMs - now) / 1000));
          if (!blocked || retryAfterSeconds > blocked.retryAfterSeconds) blocked = { retryAfterSeconds, scope: budget.scope };
        }
      }
      if (blocked) return { blocked, ids: [] };
      const at = new Date(now).toISOString();
      const ids = budgets.map(() => randomUUID());
      await sql`INSERT INTO sign_in_attempts (id, budget, at) VALUES ${sql.join(budgets.map((budget, index) => sql`(${ids[index]}, ${budget.key}, ${at})`))}`.execute(
        trx,
      );
      return { blocked: null, ids };
    });
    if (reserved.blocked) return { allowed: false, ...reserved.blocked };
    return {
      allowed: true,
      succeeded: async () => {
        // A success is no guess: it gives its attempt back, and clears this client's count for the
        // account. The address's other failures stay (one good password must not unlock guessing others).
        await sql`DELETE FROM sign_in_attempts WHERE id IN (${sql.join(reserved.ids)}) OR budget = ${`account-ip:${email}\n${ip}`}`.execute(db);
      },
    };
  }
}
