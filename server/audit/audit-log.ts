import { auditEntrySchema, type AuditEntry } from '../../contracts/access-schemas.ts';
import type { SqliteDatabase } from '../db/database.ts';

export type AuditActor = { id: string; email: string } | null;

/** Who did what, when: sign-ins (failed ones too) and every write. Never holds a password or a token. */
export class AuditLog {
  constructor(private readonly db: SqliteDatabase) {}

  record(entry: { actor: AuditActor; action: string; target?: string | null; details?: Record<string, unknown> | null; ip?: string | null }): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor_id, actor_email, action, target, details, ip) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        new Date().toISOString(),
        entry.actor?.id ?? null,
        entry.actor?.email ?? null,
        entry.action,
        entry.target ?? null,
        entry.details ? JSON.stringify(entry.details) : null,
        entry.ip ?? null,
      );
  }

  /** Newest first; `cursor` is the id to continue below. */
  list(query: { action?: string | undefined; actor_id?: string | undefined; cursor?: number | undefined; limit: number }): { items: AuditEntry[]; next_cursor: string | null } {
    const clauses: string[] = [];
    const params: (string | number)[] = [];
    if (query.action) {
      clauses.push('action = ?');
      params.push(query.action);
    }
    if (query.actor_id) {
      clauses.push('actor_id = ?');
      params.push(query.actor_id);
    }
    if (query.cursor) {
      clauses.push('id < ?');
      params.push(query.cursor);
    }
    const rows = this.db
      .prepare(`SELECT * FROM audit_log ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
      .all(...params, query.limit + 1) as (Omit<AuditEntry, 'details'> & { details: string | null })[];
    const items = rows.slice(0, query.limit).map((row) => auditEntrySchema.parse({ ...row, details: row.details ? JSON.parse(row.details) : null }));
    const last = items.at(-1);
    return { items, next_cursor: rows.length > query.limit && last ? String(last.id) : null };
  }
}
