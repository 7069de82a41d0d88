import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  broadcastDetailSchema,
  broadcastSchema,
  recipientStatuses,
  type Broadcast,
  type BroadcastCounts,
  type BroadcastDetail,
  type BroadcastRecipient,
  type RecipientAttempt,
  type RecipientStatus,
} from '../../contracts/broadcast-schemas.ts';
import { sql, type RawBuilder } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { firstOf, rowsOf } from '../db/query.ts';
import { StoreRefusal } from '../db/store-refusal.ts';
import { looksInDoubt, type ItemView, type SendStore } from '../sending/send-store.ts';
import type { MarkKeyDone } from '../messages/idempotency-keys.ts';
import { paceOf } from './broadcast-pace.ts';

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

type BroadcastRow = Omit<Broadcast, 'counts' | 'resent_as' | 'all_drivers' | 'resend_failed' | 'resend_batch_ids'> & {
  all_drivers: number;
  created_by_id: string | null;
};

const cursorSchema = z.object({ c: z.string(), i: z.string() });

/**
 * Broadcasts. A broadcast and every recipient (a queued send each, in the send ledger) are written
 * in one transaction before anything is sent, so a restart finds exactly who is still to be sent.
 * What a recipient's row shows is the newest send of their message: after a resend, the resend's.
 */
export class BroadcastStore {
  constructor(
    private readonly store: StoreDatabase,
    private readonly sends: SendStore,
  ) {}

  async create(broadcast: NewBroadcast, markDone?: MarkKeyDone): Promise<string> {
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    await this.sends.recordBatch(
      id,
      broadcast.recipients.map((recipient) => ({
        connection_id: broadcast.connection_id,
        sender_id: broadcast.sender_id,
        recipient_id: recipient.id,
        recipient_name: recipient.name,
        message_text: broadcast.message_text,
        priority: broadcast.priority,
        account_id: broadcast.created_by?.id ?? null,
        account_name: broadcast.created_by?.name ?? null,
      })),
      {
        // The broadcast and its recipients are written together, or not at all.
        before: async (trx) => {
          await sql`INSERT INTO broadcasts (id, created_at, connection_id, connection_name, tsp, sender_id, sender_name, message_text, priority,
              all_drivers, recipient_count, resend_of, created_by_id, created_by_name)
            VALUES (${id}, ${createdAt}, ${broadcast.connection_id}, ${broadcast.connection_name}, ${broadcast.tsp}, ${broadcast.sender_id},
              ${broadcast.sender_name}, ${broadcast.message_text}, ${broadcast.priority}, ${broadcast.all_drivers ? 1 : 0}, ${broadcast.recipients.length},
              ${broadcast.resend_of}, ${broadcast.created_by?.id ?? null}, ${broadcast.created_by?.name ?? null})`.execute(trx);
        },
        after: async (trx) => {
          await markDone?.(trx, id);
        },
      },
    );
    return id;
  }

  /** `waitingForCatena`: whether Catena's 429 holds every dispatcher back now, which the pace says. */
  async get(id: string, { waitingForCatena = false }: { waitingForCatena?: boolean } = {}): Promise<BroadcastDetail | null> {
    const row = await firstOf(this.store.db, sql<BroadcastRow>`SELECT * FROM broadcasts WHERE id = ${id.toLowerCase()}`);
    if (!row) return null;
    const views = await this.sends.viewsOf([row.id]);
    const recipients: BroadcastRecipient[] = views.map(recipientOf);
    const [withCounts] = await this.withCounts([row], views);
    const pace = paceOf({
      // Only those not handed to Catena yet: a resend on its way counts as queued for people, but is not the dispatcher's to pace.
      queued: views.filter((view) => view.send.state === 'queued' || view.send.state === 'submitting').length,
      sentAt: views.flatMap((view) => (view.send.submitting_since ? [view.send.submitting_since] : [])),
      now: Date.now(),
      waitingForCatena,
    });
    return broadcastDetailSchema.parse({ ...withCounts, recipients, pace });
  }

  async list(query: {
    connection_id?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  }): Promise<{ items: Broadcast[]; next_cursor: string | null }> {
    const clauses: RawBuilder<unknown>[] = [];
    if (query.connection_id) clauses.push(sql`connection_id = ${query.connection_id.toLowerCase()}`);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      clauses.push(sql`(created_at, id) < (${cursor.c}, ${cursor.i})`);
    }
    const rows = await rowsOf(
      this.store.db,
      sql<BroadcastRow>`SELECT * FROM broadcasts ${clauses.length ? sql`WHERE ${sql.join(clauses, sql` AND `)}` : sql``}
        ORDER BY created_at DESC, id DESC LIMIT ${query.limit + 1}`,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: await this.withCounts(page, await this.sends.viewsOf(page.map((r) => r.id))),
      next_cursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify({ c: last.created_at, i: last.id })).toString('base64url') : null,
    };
  }

  /**
   * The newest operations of this broadcast's recipients that failed and are not being resent:
   * what "Resend to failed recipients" sends again.
   */
  async failedHeads(broadcastId: string): Promise<string[]> {
    return (await this.sends.viewsOf([broadcastId])).flatMap((view) => {
      const head = view.chain.at(-1);
      return isResendable(view) && head ? [head.id] : [];
    });
  }

  private async withCounts(rows: readonly BroadcastRow[], views: readonly ItemView[]): Promise<Broadcast[]> {
    if (rows.length === 0) return [];
    const ids = sql.join(rows.map((row) => row.id));
    const [resentRows, batchRows] = await Promise.all([
      rowsOf(
        this.store.db,
        sql<{ id: string; resend_of: string }>`SELECT id, resend_of FROM broadcasts WHERE resend_of IN (${ids}) ORDER BY created_at`,
      ),
      rowsOf(
        this.store.db,
        sql<{ id: string; broadcast_id: string }>`SELECT id, broadcast_id FROM resend_batches WHERE broadcast_id IN (${ids}) ORDER BY created_at`,
      ),
    ]);
    return rows.map((row) => {
      const own = views.filter((view) => view.send.batch_id === row.id);
      const counts = Object.fromEntries(recipientStatuses.map((s) => [s, 0])) as BroadcastCounts;
      for (const view of own) counts[statusOf(view)] += 1;
      const resendable = own.filter(isResendable).length;
      return broadcastSchema.parse({
        ...row,
        all_drivers: row.all_drivers === 1,
        counts,
        resent_as: resentRows.filter((r) => r.resend_of === row.id).map((r) => r.id),
        resend_failed: { count: resendable, reason: resendable > 0 ? null : whyNothingToResend(counts) },
        resend_batch_ids: batchRows.filter((b) => b.broadcast_id === row.id).map((b) => b.id),
      });
    });
  }
}

/** A recipient as people see it: the console's own state until Catena took it, then its chain's newest operation's. */
function statusOf(view: ItemView): RecipientStatus {
  const { send, chain } = view;
  if (send.state === 'queued' || send.state === 'submitting') return 'queued';
  if (send.state !== 'submitted') return 'failed';
  if (view.resendOnItsWay) return 'queued';
  return chain.at(-1)?.status ?? 'pending';
}

function isResendable(view: ItemView): boolean {
  return view.send.state === 'submitted' && !view.resendOnItsWay && view.chain.at(-1)?.status === 'failed';
}

function recipientOf(view: ItemView): BroadcastRecipient {
  const head = view.chain.at(-1);
  const { send } = view;
  // A broadcast's items are messages: recipient and text are always there.
  const recipientId = send.recipient_id ?? '';
  return {
    recipient_id: recipientId,
    name: send.recipient_name ?? recipientId,
    status: statusOf(view),
    operation_id: head?.id ?? send.operation_id,
    attempt_count: head?.attempt_count ?? 0,
    last_error_type: (head?.last_error_type as BroadcastRecipient['last_error_type']) ?? null,
    error: send.state === 'refused' || send.state === 'cancelled' ? send.error : null,
    history: view.chain.flatMap((m) =>
      m.status && m.created_at && m.updated_at
        ? [
            {
              operation_id: m.id,
              status: m.status,
              created_at: m.created_at,
              updated_at: m.updated_at,
              last_error_type: m.last_error_type as RecipientAttempt['last_error_type'],
            },
          ]
        : [],
    ),
    in_doubt: looksInDoubt(send),
  };
}

function whyNothingToResend(counts: BroadcastCounts): string {
  if (counts.queued + counts.pending > 0) return "Some recipients' messages are still on their way; what fails can be resent once it has.";
  if (counts.failed > 0)
    return 'The failed recipients were refused by Catena before any message was created, so resending the same would be refused again.';
  return "Every recipient's newest message was delivered: nobody is left to resend to.";
}

function decodeCursor(cursor: string) {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new StoreRefusal('invalid_cursor', 'The cursor is not one this server gave out. Start again from the first page.');
  }
}
