import { auditEntrySchema, type AuditEntry } from '../../contracts/access-schemas.ts';
import { sql, type RawBuilder } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { rowsOf } from '../db/query.ts';

export type AuditActor = { id: string; email: string } | null;

/** Who did what, when: sign-ins (failed ones too) and every write. Never holds a password or a token. */
export class AuditLog {
  constructor(private readonly store: StoreDatabase) {}

  async record(entry: { actor: AuditActor; action: string; target?: string | null; details?: Record<string, unknown> | null; ip?: string | null }): Promise<void> {
    await sql`INSERT INTO audit_log (at, actor_id, actor_email, action, target, details, ip)
              VALUES (${new Date().toISOString()}, ${entry.actor?.id ?? null}, ${entry.actor?.email ?? null}, ${entry.action}, ${entry.target ?? null},
                      ${entry.details ? JSON.stringify(entry.details) : null}, ${entry.ip ?? null})`.execute(this.store.db);
  }

  /** Newest first; `cursor` is the id to continue below. */
  async list(query: { action?: string | undefined; actor_id?: string | undefined; cursor?: number | undefined; limit: number }): Promise<{ items: AuditEntry[]; next_cursor: string | null }> {
    const clauses: RawBuilder<unknown>[] = [];
    if (query.action) clauses.push(sql`action = ${query.action}`);
    if (query.actor_id) clauses.push(sql`actor_id = ${query.actor_id}`);
    if (query.cursor) clauses.push(sql`id < ${query.cursor}`);
    const rows = await rowsOf(
      this.store.db,
      sql<Omit<AuditEntry, 'details'> & { details: string | null }>`SELECT * FROM audit_log
        ${clauses.length ? sql`WHERE ${sql.join(clauses, sql` AND `)}` : sql``} ORDER BY id DESC LIMIT ${query.limit + 1}`,
    );
    const items = rows.slice(0, query.limit).map((row) => auditEntrySchema.parse({ ...row, details: row.details ? JSON.parse(row.details) : null }));
    const last = items.at(-1);
    return { items, next_cursor: rows.length > query.limit && last ? String(last.id) : null };
  }
}
