import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { changesOf, firstOf, rowsOf } from '../db/query.ts';

/**
 * Leases: work that one server does at a time (the reconciler, housekeeping), and pauses every
 * server respects (Catena asked to wait). A lease is held until `expires_at` on the database's
 * clock, so servers whose clocks differ still agree on who holds it (decision 0041).
 */
export class LeaseStore {
  constructor(private readonly store: StoreDatabase) {}

  /**
   * Takes `name` for `holder` for `ttlMs`, or renews it when `holder` has it already. Refused
   * while another holder's lease runs. Atomic: of servers asking at once, one gets it.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const { dialect } = this.store;
    const row = await firstOf(
      this.store.db,
      sql<{ holder: string }>`INSERT INTO leases (name, holder, expires_at) VALUES (${name}, ${holder}, ${dialect.nowPlus(ttlMs)})
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at < ${dialect.now()}
        RETURNING holder`,
    );
    return row?.holder === holder;
  }

  /** Gives `name` up if `holder` has it, so another server takes over at once rather than after it expires. */
  async release(name: string, holder: string): Promise<void> {
    await sql`DELETE FROM leases WHERE name = ${name} AND holder = ${holder}`.execute(this.store.db);
  }

  /** Holds `name` for at least `ms` from now, whoever held it: a pause that only ever grows. */
  async extend(name: string, holder: string, ms: number): Promise<void> {
    const { dialect } = this.store;
    await changesOf(
      this.store.db,
      sql`INSERT INTO leases (name, holder, expires_at) VALUES (${name}, ${holder}, ${dialect.nowPlus(ms)})
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.expires_at < excluded.expires_at`,
    );
  }

  /**
   * Takes each of `names` that nobody holds now (or whose lease ran out) for `holder`, for `ttlMs`,
   * and returns those taken; a name still held (by anyone, `holder` too) is not taken again. A
   * throttle shared by every server: of servers asking at once, one takes each name per `ttlMs`.
   */
  async claimEach(names: readonly string[], holder: string, ttlMs: number): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const { dialect } = this.store;
    const expires = dialect.nowPlus(ttlMs);
    const rows = await rowsOf(
      this.store.db,
      sql<{ name: string }>`INSERT INTO leases (name, holder, expires_at)
        VALUES ${sql.join(names.map((name) => sql`(${name}, ${holder}, ${expires})`))}
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.expires_at < ${dialect.now()}
        RETURNING name`,
    );
    return new Set(rows.map((row) => row.name));
  }

  /** Whether `name` is held by anyone now, and by whom. */
  async holderOf(name: string): Promise<string | null> {
    const row = await firstOf(
      this.store.db,
      sql<{ holder: string }>`SELECT holder FROM leases WHERE name = ${name} AND expires_at >= ${this.store.dialect.now()}`,
    );
    return row?.holder ?? null;
  }
}
