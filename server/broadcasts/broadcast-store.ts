import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  broadcastDetailSchema,
  broadcastSchema,
  recipientStatuses,
  type Broadcast,
  type BroadcastCounts,
  type BroadcastDetail,
} from '../../contracts/broadcast-schemas.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';

export type NewBroadcast = {
  connection_id: string;
  connection_name: string;
  tsp: string;
  sender_id: string;
  sender_name: string;
  message_text: string;
  priority: string | null;
  all_drivers: boolean;
  recipients: readonly { id: string; name: string }[];
  resend_of: string | null;
  created_by: { id: string; name: string } | null;
};

export type QueuedRecipient = {
  broadcast_id: string;
  recipient_id: string;
  connection_id: string;
  sender_id: string;
  message_text: string;
  priority: string | null;
  created_by_id: string | null;
  created_by_name: string | null;
};

type BroadcastRow = Omit<Broadcast, 'counts' | 'resent_as' | 'all_drivers'> & { all_drivers: number; created_by_id: string | null };

/** A recipient's status as people see it: the broadcast's own state until Catena took it, then its operation's. */
const RECIPIENT_STATUS_SQL = `CASE
  WHEN r.state IN ('queued', 'submitting') THEN 'queued'
  WHEN r.state = 'refused' THEN 'failed'
  ELSE COALESCE(o.status, 'pending') END`;

const cursorSchema = z.object({ c: z.string(), i: z.string() });

/**
 * Broadcasts and their recipients. A broadcast and every recipient are written in one transaction
 * before anything is sent, so a restart finds exactly who is still to be sent.
 */
export class BroadcastStore {
  constructor(private readonly db: SqliteDatabase) {}

  create(broadcast: NewBroadcast): string {
    const id = randomUUID();
    const insertBroadcast = this.db.prepare(`
      INSERT INTO broadcasts (id, created_at, connection_id, connection_name, tsp, sender_id, sender_name, message_text, priority, all_drivers, recipient_count, resend_of, created_by_id, created_by_name)
      VALUES (@id, @created_at, @connection_id, @connection_name, @tsp, @sender_id, @sender_name, @message_text, @priority, @all_drivers, @recipient_count, @resend_of, @created_by_id, @created_by_name)`);
    const insertRecipient = this.db.prepare(
      `INSERT INTO broadcast_recipients (broadcast_id, position, recipient_id, name, state) VALUES (?, ?, ?, ?, 'queued')`,
    );
    this.db.transaction(() => {
      insertBroadcast.run({
        id,
        created_at: new Date().toISOString(),
        connection_id: broadcast.connection_id,
        connection_name: broadcast.connection_name,
        tsp: broadcast.tsp,
        sender_id: broadcast.sender_id,
        sender_name: broadcast.sender_name,
        message_text: broadcast.message_text,
        priority: broadcast.priority,
        all_drivers: broadcast.all_drivers ? 1 : 0,
        recipient_count: broadcast.recipients.length,
        resend_of: broadcast.resend_of,
        created_by_id: broadcast.created_by?.id ?? null,
        created_by_name: broadcast.created_by?.name ?? null,
      });
      broadcast.recipients.forEach((recipient, position) => insertRecipient.run(id, position, recipient.id, recipient.name));
    })();
    return id;
  }

  get(id: string): BroadcastDetail | null {
    const row = this.db.prepare('SELECT * FROM broadcasts WHERE id = ?').get(id.toLowerCase()) as BroadcastRow | undefined;
    if (!row) return null;
    const recipients = this.db
      .prepare(
        `SELECT r.recipient_id, r.name, ${RECIPIENT_STATUS_SQL} AS status, r.operation_id,
                COALESCE(o.attempt_count, 0) AS attempt_count, o.last_error_type, r.error
         FROM broadcast_recipients r LEFT JOIN operations o ON o.id = r.operation_id
         WHERE r.broadcast_id = ? ORDER BY r.position`,
      )
      .all(row.id);
    return broadcastDetailSchema.parse({ ...this.withCounts([row])[0], recipients });
  }

  list(query: { connection_id?: string | undefined; cursor?: string | undefined; limit: number }): { items: Broadcast[]; next_cursor: string | null } {
    const clauses: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit + 1 };
    if (query.connection_id) {
      clauses.push('connection_id = @connection_id');
      params.connection_id = query.connection_id.toLowerCase();
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      clauses.push('(created_at, id) < (@c, @i)');
      params.c = cursor.c;
      params.i = cursor.i;
    }
    const rows = this.db
      .prepare(`SELECT * FROM broadcasts ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT @limit`)
      .all(params) as BroadcastRow[];
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: this.withCounts(page),
      next_cursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify({ c: last.created_at, i: last.id })).toString('base64url') : null,
    };
  }

  /** Recipients of `broadcastId` whose message failed (or was refused), for "Resend to failed recipients". */
  failedRecipients(broadcastId: string): { id: string; name: string }[] {
    return this.db
      .prepare(
        `SELECT r.recipient_id AS id, r.name FROM broadcast_recipients r LEFT JOIN operations o ON o.id = r.operation_id
         WHERE r.broadcast_id = ? AND ${RECIPIENT_STATUS_SQL} = 'failed' ORDER BY r.position`,
      )
      .all(broadcastId.toLowerCase()) as { id: string; name: string }[];
  }

  /** The next recipient to send, oldest broadcast first, and marks it as on its way. */
  claimNext(): QueuedRecipient | null {
    return this.db.transaction((): QueuedRecipient | null => {
      const next = this.db
        .prepare(
          `SELECT r.broadcast_id, r.recipient_id, b.connection_id, b.sender_id, b.message_text, b.priority, b.created_by_id, b.created_by_name
           FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
           WHERE r.state = 'queued' ORDER BY b.created_at, r.broadcast_id, r.position LIMIT 1`,
        )
        .get() as QueuedRecipient | undefined;
      if (!next) return null;
      this.db
        .prepare(`UPDATE broadcast_recipients SET state = 'submitting', submitting_since = ? WHERE broadcast_id = ? AND recipient_id = ?`)
        .run(new Date().toISOString(), next.broadcast_id, next.recipient_id);
      return next;
    }).immediate();
  }

  markSubmitted(recipient: QueuedRecipient, operationId: string): void {
    this.db
      .prepare(`UPDATE broadcast_recipients SET state = 'submitted', operation_id = ?, error = NULL WHERE broadcast_id = ? AND recipient_id = ?`)
      .run(operationId, recipient.broadcast_id, recipient.recipient_id);
  }

  markRefused(recipient: QueuedRecipient, error: string): void {
    this.db
      .prepare(`UPDATE broadcast_recipients SET state = 'refused', error = ? WHERE broadcast_id = ? AND recipient_id = ?`)
      .run(error, recipient.broadcast_id, recipient.recipient_id);
  }

  /** Catena certainly did not take it (a 429): back in the queue, in its place. */
  requeue(recipient: QueuedRecipient): void {
    this.db
      .prepare(`UPDATE broadcast_recipients SET state = 'queued', submitting_since = NULL WHERE broadcast_id = ? AND recipient_id = ?`)
      .run(recipient.broadcast_id, recipient.recipient_id);
  }

  /** Recipients whose request left but whose answer never came back (a crash, a timeout) before `before`. */
  inDoubt(before: string): (QueuedRecipient & { submitting_since: string })[] {
    return this.db
      .prepare(
        `SELECT r.broadcast_id, r.recipient_id, r.submitting_since, b.connection_id, b.sender_id, b.message_text, b.priority,
                b.created_by_id, b.created_by_name
         FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
         WHERE r.state = 'submitting' AND r.submitting_since < ? ORDER BY r.submitting_since`,
      )
      .all(before) as (QueuedRecipient & { submitting_since: string })[];
  }

  /**
   * The operation Catena made for an in-doubt recipient, if the store has one: same connection,
   * recipient and text, created after the request left, and not already some recipient's.
   */
  findSentOperation(recipient: QueuedRecipient, since: string): string | null {
    const id = this.db
      .prepare(
        `SELECT o.id FROM operations o
         WHERE o.connection_id = ? AND o.resource = 'message' AND o.message_text = ?
           AND json_extract(o.payload, '$.recipient_id') = ? AND o.created_at >= ?
           AND NOT EXISTS (SELECT 1 FROM broadcast_recipients r WHERE r.operation_id = o.id)
         ORDER BY o.created_at LIMIT 1`,
      )
      .pluck()
      .get(recipient.connection_id, recipient.message_text, recipient.recipient_id, since);
    return typeof id === 'string' ? id : null;
  }

  hasWork(): boolean {
    return this.db.prepare(`SELECT 1 FROM broadcast_recipients WHERE state IN ('queued', 'submitting') LIMIT 1`).get() !== undefined;
  }

  private withCounts(rows: readonly BroadcastRow[]): Broadcast[] {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const marks = ids.map(() => '?').join(', ');
    const countRows = this.db
      .prepare(
        `SELECT r.broadcast_id, ${RECIPIENT_STATUS_SQL} AS status, COUNT(*) AS n
         FROM broadcast_recipients r LEFT JOIN operations o ON o.id = r.operation_id
         WHERE r.broadcast_id IN (${marks}) GROUP BY r.broadcast_id, status`,
      )
      .all(...ids) as { broadcast_id: string; status: string; n: number }[];
    const resentRows = this.db
      .prepare(`SELECT id, resend_of FROM broadcasts WHERE resend_of IN (${marks}) ORDER BY created_at`)
      .all(...ids) as { id: string; resend_of: string }[];
    return rows.map((row) => {
      const counts = Object.fromEntries(recipientStatuses.map((s) => [s, 0])) as BroadcastCounts;
      for (const c of countRows) if (c.broadcast_id === row.id && c.status in counts) counts[c.status as keyof BroadcastCounts] += c.n;
      return broadcastSchema.parse({
        ...row,
        all_drivers: row.all_drivers === 1,
        counts,
        resent_as: resentRows.filter((r) => r.resend_of === row.id).map((r) => r.id),
      });
    });
  }
}

function decodeCursor(cursor: string) {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server gave out. Start again from the first page.');
  }
}
