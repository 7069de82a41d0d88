import type { z } from 'zod';
import type { SqliteDatabase } from './database.ts';

/** Small pieces of state the server keeps between runs (reconciler progress, its webhook subscription). */
export class SettingsStore {
  constructor(private readonly db: SqliteDatabase) {}

  get<T extends z.ZodType>(key: string, schema: T): z.infer<T> | null {
    const raw = this.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key);
    if (typeof raw !== 'string') return null;
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }
}
