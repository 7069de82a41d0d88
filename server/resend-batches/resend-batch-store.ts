import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  resendBatchDetailSchema,
  resendBatchSchema,
  resendItemStates,
  type ResendBatch,
  type ResendBatchDetail,
  type ResendBatchItem,
  type ResendItemState,
  type ResendSkipReason,
} from '../../contracts/resend-batch-schemas.ts';
import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { firstOf, rowsOf } from '../db/query.ts';
import type { MarkKeyDone } from '../messages/idempotency-keys.ts';
import { looksInDoubt, type ItemView, type NewSend, type Send, type SendStore } from '../sending/send-store.ts';

export type Selection =
  { kind: 'ids'; count: number } | { kind: 'filter'; filter: Record<string, unknown> } | { kind: 'broadcast'; broadcast_id: string };

export type NewResendBatch = {
  selection: Selection;
  selected: number;
  skipped: Partial<Record<ResendSkipReason, number>>;
  items: readonly NewSend[];
  broadcast_id: string | null;
  created_by: { id: string; name: string } | null;
};

type BatchRow = {
  id: string;
  created_at: string;
  created_by_name: string | null;
  selection: string;
  selected: number;
  will_resend: number;
  skipped: string;
  cancelled_at: string | null;
};

const cursorSchema = z.object({ c: z.string(), i: z.string() });

/**
 * Bulk resends: which operations a person chose, what was skipped and why, and one queued send per
 * failed message, all written in one transaction. The items are sends in the ledger, sent by the
 * same dispatcher as broadcasts.
 */
export class ResendBatchStore {
  constructor(
    private readonly store: StoreDatabase,
    private readonly sends: SendStore,
  ) {}

  /**
   * Records the batch and claims each item's chain. An item whose chain was claimed meanwhile (a
   * concurrent resend) is not recorded and counts as already resent. Returns null when nothing is left.
   */
  async create(batch: NewResendBatch, markDone?: MarkKeyDone): Promise<string | null> {
    const id = randomUUID();
    const { recorded } = await this.sends.recordBatch(id, batch.items, {
      before: async (trx) => {
        await sql`INSERT INTO resend_batches (id, created_at, created_by_id, created_by_name, selection, selected, will_resend, skipped, broadcast_id)
          VALUES (${id}, ${new Date().toISOString()}, ${batch.created_by?.id ?? null}, ${batch.created_by?.name ?? null}, ${JSON.stringify(batch.selection)},
            ${batch.selected}, 0, '{}', ${batch.broadcast_id})`.execute(trx);
      },
      after: async (trx, count, refused) => {
        if (count === 0) {
          await sql`DELETE FROM resend_batches WHERE id = ${id}`.execute(trx);
          return;
        }
        const skipped = { ...batch.skipped };
        for (const { reason } of refused) {
          const key: ResendSkipReason = reason === 'not_failed' ? 'not_failed' : 'already_resent';
          skipped[key] = (skipped[key] ?? 0) + 1;
        }
        await sql`UPDATE resend_batches SET will_resend = ${count}, skipped = ${JSON.stringify(skipped)} WHERE id = ${id}`.execute(trx);
        await markDone?.(trx, id);
      },
    });
    return recorded === 0 ? null : id;
  }

  async cancel(id: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await sql`UPDATE resend_batches SET cancelled_at = COALESCE(cancelled_at, ${new Date().toISOString()}) WHERE id = ${id}`.execute(trx);
      await this.sends.cancelQueued(id, trx);
    });
  }

  async get(id: string): Promise<ResendBatchDetail | null> {
    const row = await firstOf(this.store.db, sql<BatchRow>`SELECT * FROM resend_batches WHERE id = ${id.toLowerCase()}`);
    if (!row) return null;
    const views = await this.sends.viewsOf([row.id]);
    return resendBatchDetailSchema.parse({ ...summaryOf(row, views), items: views.map(itemOf) });
  }

  /** A page of batches, newest first; null when the cursor is not one this store gave out. */
  async list(query: { cursor?: string | undefined; limit: number }): Promise<{ items: ResendBatch[]; next_cursor: string | null } | null> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    if (query.cursor && !cursor) return null;
    const rows = await rowsOf(
      this.store.db,
      sql<BatchRow>`SELECT * FROM resend_batches ${cursor ? sql`WHERE (created_at, id) < (${cursor.c}, ${cursor.i})` : sql``}
        ORDER BY created_at DESC, id DESC LIMIT ${query.limit + 1}`,
    );
    const page = rows.slice(0, query.limit);
    const views = await this.sends.viewsOf(page.map((r) => r.id));
    const last = page.at(-1);
    return {
      items: page.map((row) =>
        summaryOf(
          row,
          views.filter((v) => v.send.batch_id === row.id),
        ),
      ),
      next_cursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify({ c: last.created_at, i: last.id })).toString('base64url') : null,
    };
  }
}

function summaryOf(row: BatchRow, views: readonly ItemView[]): ResendBatch {
  const counts = Object.fromEntries(resendItemStates.map((s) => [s, 0])) as Record<ResendItemState, number>;
  for (const view of views) counts[stateOf(view)] += 1;
  return resendBatchSchema.parse({
    id: row.id,
    created_at: row.created_at,
    created_by_name: row.created_by_name,
    selection: JSON.parse(row.selection),
    selected: row.selected,
    will_resend: row.will_resend,
    skipped: JSON.parse(row.skipped),
    counts,
    cancelled_at: row.cancelled_at,
    finished: counts.queued + counts.sending + counts.in_doubt === 0,
  });
}

/** An item's state: the console's own until Catena took it, then its new operation's. */
function stateOf(view: ItemView): ResendItemState {
  const { send } = view;
  switch (send.state) {
    case 'queued':
      return 'queued';
    case 'submitting':
      return looksInDoubt(send) ? 'in_doubt' : 'sending';
    case 'refused':
    case 'not_sent':
      return 'refused';
    case 'cancelled':
      return 'cancelled';
    case 'submitted':
      return view.chain.find((m) => m.id === send.operation_id)?.status ?? 'pending';
  }
}

function itemOf(view: ItemView): ResendBatchItem {
  const { send } = view;
  const own = view.chain.find((m) => m.id === send.operation_id);
  return {
    position: send.position,
    resend_of: send.resend_of ?? send.chain_id ?? '',
    operation_id: send.operation_id,
    connection_id: send.connection_id,
    recipient_name: send.recipient_name ?? send.recipient_id ?? send.resource,
    message_text: send.message_text ?? describeRequest(send),
    state: stateOf(view),
    operation_status: own?.status ?? null,
    error: send.state === 'refused' ? send.error : null,
  };
}

/** What a write other than a message sends, in words, where a message would show its text. */
function describeRequest(send: Send): string {
  const fields = Object.keys(send.request?.body ?? {}).filter((field) => field !== 'connection_id');
  const what = send.request?.method === 'PATCH' ? 'Update' : 'Create';
  return `${what} of ${send.resource.replaceAll('_', ' ')}${fields.length > 0 ? `: ${fields.join(', ')}` : ''}`;
}

function decodeCursor(cursor: string): z.infer<typeof cursorSchema> | null {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}
