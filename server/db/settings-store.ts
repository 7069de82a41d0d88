import { sql } from 'kysely';
import type { z } from 'zod';
import type { StoreDatabase } from './database.ts';
import { firstOf, type Executor } from './query.ts';

/** Small pieces of state the servers share between runs (reconciler progress, the webhook subscription). */
export class SettingsStore {
  constructor(private readonly store: StoreDatabase) {}

  async get<T extends z.ZodType>(key: string, schema: T, db: Executor = this.store.db): Promise<z.infer<T> | null> {
    const row = await firstOf(db, sql<{ value: string }>`SELECT value FROM settings WHERE key = ${key}`);
    if (!row) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async set(key: string, value: unknown, db: Executor = this.store.db): Promise<void> {
    await sql`INSERT INTO settings (key, value) VALUES (${key}, ${JSON.stringify(value)})
              ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
  }

  /** Reads `key`, and writes what `change` makes of it, with no other server's change in between. */
  async update<T extends z.ZodType>(key: string, schema: T, change: (current: z.infer<T> | null) => z.infer<T>): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await this.store.dialect.lock(trx, `settings:${key}`);
      await this.set(key, change(await this.get(key, schema, trx)), trx);
    });
  }

  /**
   * Sets `key` to `{ at: <the database's clock now>, ...rest }`, unless what is there is newer:
   * servers writing the same key never take it back in time, whatever their own clocks say.
   * (The JSON text starts with the ISO time, so it orders as the time does.)
   */
  async stampNow(key: string, rest: Record<string, string> = {}, plusMs = 0): Promise<void> {
    const tail = Object.keys(rest).length > 0 ? `,${JSON.stringify(rest).slice(1, -1)}` : '';
    await sql`INSERT INTO settings (key, value) VALUES (${key}, '{"at":"' || ${this.store.dialect.nowPlus(plusMs)} || '"' || ${tail} || '}')
              ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value < excluded.value`.execute(this.store.db);
  }

  /** Sets `key` only if nothing is there yet; returns what is there afterwards (this value, or the first one's). */
  async setOnce<T extends z.ZodType>(key: string, value: z.infer<T>, schema: T): Promise<z.infer<T> | null> {
    await sql`INSERT INTO settings (key, value) VALUES (${key}, ${JSON.stringify(value)}) ON CONFLICT (key) DO NOTHING`.execute(this.store.db);
    return this.get(key, schema);
  }
}
