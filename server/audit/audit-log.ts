import { auditEntrySchema, type AuditEntry, type AuditSubject } from '../../contracts/access-schemas.ts';
import { sql, type RawBuilder } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { rowsOf } from '../db/query.ts';

export type AuditActor = { id: string; email: string } | null;

/**
 * What each action's target is (each route that records one passes its target as below). An
 * account target is recorded as the account's address, which never changes; a failed sign-in's
 * is the address someone typed, which may or may not be an account's.
 */
const subjectKinds = {
  message_sent: 'operation',
  operation_resent: 'operation',
  broadcast_created: 'broadcast',
  broadcast_resent: 'broadcast',
  resend_batch_started: 'resend_batch',
  resend_batch_cancelled: 'resend_batch',
  incident_resend_armed: 'incident',
  account_created: 'account',
  account_updated: 'account',
  sign_in_failed: 'account',
  demo_scenario_on: 'demo_scenario',
  demo_scenario_off: 'demo_scenario',
  demo_traffic_set: 'demo',
  demo_reset: 'demo',
  webhooks_replayed: 'webhook_subscription',
  sign_in: null,
  sign_out: null,
} as const satisfies Record<string, AuditSubject['kind'] | null>;

const accountActions = Object.entries(subjectKinds).flatMap(([action, kind]) => (kind === 'account' ? [action] : []));

type AuditRow = Omit<AuditEntry, 'details' | 'subject'> & {
  details: string | null;
  subject_account_id: string | null;
  subject_account_name: string | null;
};

/** Who did what, when: sign-ins (failed ones too) and every write. Never holds a password or a token. */
export class AuditLog {
  constructor(private readonly store: StoreDatabase) {}

  async record(entry: {
    actor: AuditActor;
    action: string;
    target?: string | null;
    details?: Record<string, unknown> | null;
    ip?: string | null;
  }): Promise<void> {
    await sql`INSERT INTO audit_log (at, actor_id, actor_email, action, target, details, ip)
              VALUES (${new Date().toISOString()}, ${entry.actor?.id ?? null}, ${entry.actor?.email ?? null}, ${entry.action}, ${entry.target ?? null},
                      ${entry.details ? JSON.stringify(entry.details) : null}, ${entry.ip ?? null})`.execute(this.store.db);
  }

  /**
   * Newest first; `cursor` is the id to continue below. The actor's and an account target's
   * names are joined in, the page's accounts in the same statement: a renamed account reads as it
   * is called now, one that is gone by the address recorded at the time.
   */
  async list(query: {
    action?: string | undefined;
    actor_id?: string | undefined;
    cursor?: number | undefined;
    limit: number;
  }): Promise<{ items: AuditEntry[]; next_cursor: string | null }> {
    const clauses: RawBuilder<unknown>[] = [];
    if (query.action) clauses.push(sql`entry.action = ${query.action}`);
    if (query.actor_id) clauses.push(sql`entry.actor_id = ${query.actor_id}`);
    if (query.cursor) clauses.push(sql`entry.id < ${query.cursor}`);
    const rows = await rowsOf(
      this.store.db,
      sql<AuditRow>`SELECT entry.id, entry.at, entry.actor_id, entry.actor_email, actor.name AS actor_name, entry.action, entry.target,
               entry.details, entry.ip, subject.id AS subject_account_id, subject.name AS subject_account_name
        FROM audit_log entry
        LEFT JOIN accounts actor ON actor.id = entry.actor_id
        LEFT JOIN accounts subject ON subject.email = entry.target AND entry.action IN (${sql.join(accountActions)})
        ${clauses.length ? sql`WHERE ${sql.join(clauses, sql` AND `)}` : sql``} ORDER BY entry.id DESC LIMIT ${query.limit + 1}`,
    );
    const items = rows.slice(0, query.limit).map(({ subject_account_id, subject_account_name, ...row }) => {
      const details = row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null;
      return auditEntrySchema.parse({
        ...row,
        details,
        subject: subjectOf(row.action, row.target, details, { id: subject_account_id, name: subject_account_name }),
      });
    });
    const last = items.at(-1);
    return { items, next_cursor: rows.length > query.limit && last ? String(last.id) : null };
  }
}

function subjectOf(
  action: string,
  target: string | null,
  details: Record<string, unknown> | null,
  account: { id: string | null; name: string | null },
): AuditSubject | null {
  const kind: AuditSubject['kind'] | null = Object.hasOwn(subjectKinds, action) ? subjectKinds[action as keyof typeof subjectKinds] : 'other';
  switch (kind) {
    case null:
      return null;
    case 'demo':
    case 'webhook_subscription':
      return { kind };
    case 'account':
      return target === null ? null : { kind, id: account.id, email: target, name: account.name };
    case 'demo_scenario':
      return target === null ? null : { kind, id: target, scenario: typeof details?.scenario === 'string' ? details.scenario : null };
    case 'other':
      return target === null ? null : { kind, value: target };
    default:
      return target === null ? null : { kind, id: target };
  }
}
