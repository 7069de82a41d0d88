import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SendMessageRequest } from '../../contracts/message-schemas.ts';
import type { CatenaWriteRequest } from '../catena/catena-client.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { repeatRequestOf } from '../operations/repeat-request.ts';
import type { OperationsStore } from '../operations/operations-store.ts';

/**
 * A message the console hands to Catena, recorded before its request leaves. Single sends from a
 * request, broadcast recipients and bulk-resend items are all rows of this one ledger, so one set
 * of rules decides when a driver's message may go (again): see decision 0020.
 */
export type Send = {
  id: string;
  batch_id: string | null;
  position: number;
  /** What it writes: a message, or any other Catena resource (then `request` says how). */
  resource: string;
  /** The Catena request of a write that is not a message; null for messages (their columns say it). */
  request: CatenaWriteRequest | null;
  connection_id: string;
  sender_id: string | null;
  recipient_id: string | null;
  /** Who or what it is for, in words: a driver's name, "Vehicle Unit 1001". */
  recipient_name: string | null;
  message_text: string | null;
  priority: string | null;
  reply_to_message_id: string | null;
  is_sync: boolean;
  /** The failed operation it resends, the newest of its chain when the send was recorded. */
  resend_of: string | null;
  chain_id: string | null;
  state: SendState;
  operation_id: string | null;
  error: string | null;
  submitting_since: string | null;
  account_id: string | null;
  account_name: string | null;
  created_at: string;
};

export type SendState = 'queued' | 'submitting' | 'submitted' | 'refused' | 'not_sent' | 'cancelled';

export type NewSend = {
  resource?: string;
  request?: CatenaWriteRequest | null;
  connection_id: string;
  sender_id?: string | null;
  recipient_id?: string | null;
  recipient_name?: string | null;
  message_text?: string | null;
  priority?: string | null;
  reply_to_message_id?: string | null;
  is_sync?: boolean;
  resend_of?: string | null;
  account_id?: string | null;
  account_name?: string | null;
};

/** The send of one message: who sends it, to whom, and what it says. */
export function newSendOfMessage(message: SendMessageRequest): NewSend {
  return {
    connection_id: message.connection_id,
    sender_id: message.sender_id,
    recipient_id: message.recipient_id,
    message_text: message.message_text,
    priority: message.priority ?? null,
    reply_to_message_id: message.reply_to_message_id ?? null,
    is_sync: message.is_sync ?? false,
  };
}

/** Why a resend cannot be recorded: its chain moved on, or a resend of it is already on its way. */
export class ChainBusyError extends Error {
  constructor(
    readonly reason: 'already_resent' | 'resend_in_progress' | 'not_failed',
    readonly operationId: string | null,
    readonly batchId: string | null,
  ) {
    super(reason);
  }
}

type SendRow = Omit<Send, 'is_sync' | 'request'> & { is_sync: number; request: string | null };

const storedRequestSchema = z.object({
  method: z.enum(['POST', 'PATCH']),
  path: z.string(),
  body: z.record(z.string(), z.unknown()),
});

/** An operation of a chain as an item view lists it. */
export type ViewMember = {
  id: string;
  status: 'pending' | 'success' | 'failed' | null;
  created_at: string | null;
  updated_at: string | null;
  last_error_type: string | null;
  attempt_count: number;
};

/** A batch item with its chain: see `SendStore.viewsOf`. */
export type ItemView = { send: Send; chain: ViewMember[]; resendOnItsWay: boolean };

/** A chain member as the store holds it. */
export type ChainMember = {
  id: string;
  status: string | null;
  created_at: string | null;
  updated_at: string | null;
  last_error_type: string | null;
  sent_by: string | null;
};

/**
 * The send ledger and the resend chains. A chain is the first send of an intent and every resend
 * of it (`operation_links`, each row naming its chain); its newest member is what a person sees.
 */
export class SendStore {
  constructor(private readonly db: SqliteDatabase) {}

  get(id: string): Send | null {
    const row = this.db.prepare('SELECT * FROM sends WHERE id = ?').get(id.toLowerCase()) as SendRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** The chain `operationId` belongs to: its first send's id. */
  chainOf(operationId: string): string {
    const id = operationId.toLowerCase();
    const chain = this.db.prepare('SELECT chain_id FROM operation_links WHERE operation_id = ?').pluck().get(id);
    return typeof chain === 'string' ? chain : id;
  }

  /** Every operation of the chain, first send first, with what the store knows of each. */
  chainMembers(chainId: string): ChainMember[] {
    return this.db
      .prepare(
        `SELECT m.id, o.status, o.created_at, o.updated_at, o.last_error_type, g.account_name AS sent_by
         FROM (SELECT @chain AS id, '' AS linked_at, 0 AS seq
               UNION ALL SELECT operation_id, created_at, rowid FROM operation_links WHERE chain_id = @chain) m
         LEFT JOIN operations o ON o.id = m.id
         LEFT JOIN operation_origins g ON g.operation_id = m.id
         ORDER BY m.linked_at, m.seq`,
      )
      .all({ chain: chainId.toLowerCase() }) as ChainMember[];
  }

  /** The newest operation of the chain `operationId` belongs to, and its status. */
  headOf(operationId: string): { id: string; status: string | null } {
    const chain = this.chainOf(operationId);
    const head = this.db
      .prepare(
        `SELECT l.operation_id AS id, o.status FROM operation_links l LEFT JOIN operations o ON o.id = l.operation_id
         WHERE l.chain_id = ? ORDER BY l.created_at DESC, l.rowid DESC LIMIT 1`,
      )
      .get(chain) as { id: string; status: string | null } | undefined;
    if (head) return head;
    const status = this.db.prepare('SELECT status FROM operations WHERE id = ?').pluck().get(chain);
    return { id: chain, status: typeof status === 'string' ? status : null };
  }

  /** A resend of this chain that is queued or on its way (at most one: a unique index sees to it). */
  openSendOf(chainId: string): Send | null {
    const row = this.db
      .prepare(`SELECT * FROM sends WHERE chain_id = ? AND state IN ('queued', 'submitting')`)
      .get(chainId.toLowerCase()) as SendRow | undefined;
    return row ? fromRow(row) : null;
  }

  /**
   * Records a single send as on its way (`submitting`), tied to its idempotency key. A resend also
   * claims its chain: refused when the chain's newest operation is not `resend_of` any more, is not
   * failed, or another resend of it is already on its way — checked and written in one transaction,
   * so concurrent resends of one operation record one send.
   */
  recordSingle(send: NewSend, idempotency: { scope: string; key: string } | null): Send {
    const id = randomUUID();
    const now = new Date().toISOString();
    return this.db.transaction((): Send => {
      const chainId = send.resend_of ? this.claimChain(send.resend_of) : null;
      this.insert({ ...send, id, batch_id: null, position: 0, chain_id: chainId, state: 'submitting', submitting_since: now, created_at: now });
      if (idempotency) {
        this.db.prepare('UPDATE idempotency_keys SET send_id = ? WHERE scope = ? AND key = ?').run(id, idempotency.scope, idempotency.key);
      }
      return this.getOrThrow(id);
    }).immediate();
  }

  /**
   * Records a batch's items (`queued`) in one transaction. A resend item whose chain cannot be
   * claimed is left out; the positions of those left out are returned with the reason.
   */
  recordBatch(batchId: string, items: readonly NewSend[]): { recorded: number; refused: { index: number; reason: ChainBusyError['reason'] }[] } {
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const refused: { index: number; reason: ChainBusyError['reason'] }[] = [];
      let position = 0;
      items.forEach((item, index) => {
        let chainId: string | null = null;
        if (item.resend_of) {
          try {
            chainId = this.claimChain(item.resend_of);
          } catch (error) {
            if (!(error instanceof ChainBusyError)) throw error;
            refused.push({ index, reason: error.reason });
            return;
          }
        }
        this.insert({ ...item, id: randomUUID(), batch_id: batchId, position, chain_id: chainId, state: 'queued', submitting_since: null, created_at: now });
        position += 1;
      });
      return { recorded: position, refused };
    }).immediate();
  }

  /** The next queued batch item, oldest batch first, marked as on its way. */
  claimNext(): Send | null {
    return this.db.transaction((): Send | null => {
      const row = this.db
        .prepare(`SELECT * FROM sends WHERE state = 'queued' AND batch_id IS NOT NULL ORDER BY created_at, batch_id, position LIMIT 1`)
        .get() as SendRow | undefined;
      if (!row) return null;
      this.db.prepare(`UPDATE sends SET state = 'submitting', submitting_since = ? WHERE id = ?`).run(new Date().toISOString(), row.id);
      return this.getOrThrow(row.id);
    }).immediate();
  }

  /**
   * Catena has it as `operationId`: the send is done, and a resend joins its chain — in one
   * transaction, so the chain's newest member and the end of the claim appear together.
   */
  markSubmitted(send: Send, operationId: string): void {
    const opId = operationId.toLowerCase();
    this.db.transaction(() => {
      this.db.prepare(`UPDATE sends SET state = 'submitted', operation_id = ?, error = NULL WHERE id = ?`).run(opId, send.id);
      if (send.resend_of) {
        this.db
          .prepare('INSERT OR IGNORE INTO operation_links (operation_id, resend_of, chain_id, created_at) VALUES (?, ?, ?, ?)')
          .run(opId, send.resend_of, send.chain_id ?? this.chainOf(send.resend_of), new Date().toISOString());
      }
      this.db
        .prepare(
          `INSERT INTO operation_origins (operation_id, account_id, account_name, broadcast_id, resend_batch_id)
           VALUES (@op, @account_id, @account_name,
                   (SELECT id FROM broadcasts WHERE id = @batch), (SELECT id FROM resend_batches WHERE id = @batch))
           ON CONFLICT (operation_id) DO NOTHING`,
        )
        .run({ op: opId, account_id: send.account_id, account_name: send.account_name, batch: send.batch_id });
    })();
  }

  /** Certainly not sent (Catena said no, or the request never left): the chain is free again. */
  markRefused(send: Send, error: string): void {
    this.db.prepare(`UPDATE sends SET state = 'refused', error = ? WHERE id = ?`).run(error, send.id);
  }

  /** Settled: Catena never got it. A single send's key may now send again. */
  markNotSent(send: Send): void {
    this.db.prepare(`UPDATE sends SET state = 'not_sent' WHERE id = ? AND state = 'submitting'`).run(send.id);
  }

  /** A batch item Catena certainly did not take (a 429, or settled as never received): back in its place. */
  requeue(send: Send): void {
    // Into its place again — unless its batch was cancelled meanwhile: then it never leaves.
    this.db
      .prepare(
        `UPDATE sends SET submitting_since = NULL,
           state = CASE WHEN EXISTS (SELECT 1 FROM resend_batches b WHERE b.id = sends.batch_id AND b.cancelled_at IS NOT NULL)
                        THEN 'cancelled' ELSE 'queued' END
         WHERE id = ?`,
      )
      .run(send.id);
  }

  /** Refused items of a broadcast go again, in place: nothing was sent for them. */
  requeueRefused(batchId: string): number {
    return this.db.prepare(`UPDATE sends SET state = 'queued', error = NULL, submitting_since = NULL WHERE batch_id = ? AND state = 'refused'`).run(batchId)
      .changes;
  }

  /** Whatever of the batch has not left yet will not leave. */
  cancelQueued(batchId: string): number {
    return this.db.prepare(`UPDATE sends SET state = 'cancelled' WHERE batch_id = ? AND state = 'queued'`).run(batchId).changes;
  }

  /** Sends whose request left before `before` and whose answer never came: in doubt until settled. */
  inDoubt(before: string): Send[] {
    return (
      this.db.prepare(`SELECT * FROM sends WHERE state = 'submitting' AND submitting_since < ? ORDER BY submitting_since`).all(before) as SendRow[]
    ).map(fromRow);
  }

  /**
   * The operation Catena made for a send in doubt, if the store has one: same connection and
   * resource, created after the request left, not already another send's, and writing what the
   * send asked — for a message the same recipient and text, for any other write the same request.
   */
  findLanded(send: Send, since: string, operations: Pick<OperationsStore, 'getMany'>): string | null {
    // What a resend resends, and the rest of its chain, look just like it: never its own answer.
    const chain = send.chain_id ? new Set(this.chainMembers(send.chain_id).map((member) => member.id)) : new Set<string>();
    const notChain = send.chain_id
      ? `AND o.id <> @chain AND o.id NOT IN (SELECT operation_id FROM operation_links WHERE chain_id = @chain)`
      : '';
    if (!send.request) {
      const id = this.db
        .prepare(
          `SELECT o.id FROM operations o
           WHERE o.connection_id = @connection AND o.resource = 'message' AND o.message_text = @text
             AND json_extract(o.payload, '$.recipient_id') = @recipient AND o.created_at >= @since
             AND NOT EXISTS (SELECT 1 FROM sends s WHERE s.operation_id = o.id) ${notChain}
           ORDER BY o.created_at LIMIT 1`,
        )
        .pluck()
        .get({ connection: send.connection_id, text: send.message_text, recipient: send.recipient_id, since, chain: send.chain_id });
      return typeof id === 'string' ? id : null;
    }
    const candidates = this.db
      .prepare(
        `SELECT o.id FROM operations o
         WHERE o.connection_id = ? AND o.resource = ? AND o.created_at >= ?
           AND NOT EXISTS (SELECT 1 FROM sends s WHERE s.operation_id = o.id)
         ORDER BY o.created_at LIMIT 500`,
      )
      .pluck()
      .all(send.connection_id, send.resource, since) as string[];
    const wanted = canonical(send.request);
    const found = operations
      .getMany(candidates)
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
      .find((op) => {
        if (chain.has(op.id)) return false;
        const again = repeatRequestOf(op);
        return again.ok && canonical(again.request) === wanted;
      });
    return found?.id ?? null;
  }

  hasWork(): boolean {
    return this.db.prepare(`SELECT 1 FROM sends WHERE state IN ('queued', 'submitting') LIMIT 1`).get() !== undefined;
  }

  itemsOf(batchId: string): Send[] {
    return (this.db.prepare('SELECT * FROM sends WHERE batch_id = ? ORDER BY position').all(batchId.toLowerCase()) as SendRow[]).map(fromRow);
  }

  /**
   * Each item of these batches with its chain as it stands: every operation of the chain (first
   * send first, with status, attempts and last error), and whether a resend of it is on its way.
   * A chain's newest member is what a person sees for that recipient.
   */
  viewsOf(batchIds: readonly string[]): ItemView[] {
    if (batchIds.length === 0) return [];
    const ids = batchIds.map((id) => id.toLowerCase());
    const items = this.db
      .prepare(
        `SELECT s.*, CASE WHEN s.operation_id IS NULL THEN NULL ELSE COALESCE(l.chain_id, s.operation_id) END AS chain
         FROM sends s LEFT JOIN operation_links l ON l.operation_id = s.operation_id
         WHERE s.batch_id IN (${ids.map(() => '?').join(', ')}) ORDER BY s.batch_id, s.position`,
      )
      .all(...ids) as (SendRow & { chain: string | null })[];
    const chains = [...new Set(items.flatMap((item) => (item.chain ? [item.chain] : [])))];
    const members = new Map<string, ViewMember[]>();
    const open = new Set<string>();
    for (let start = 0; start < chains.length; start += 400) {
      const chunk = chains.slice(start, start + 400);
      const marks = chunk.map(() => '?').join(', ');
      const rows = this.db
        .prepare(
          `SELECT m.chain, m.id, o.status, o.created_at, o.updated_at, o.last_error_type, COALESCE(o.attempt_count, 0) AS attempt_count
           FROM (SELECT id AS chain, id, '' AS linked_at, 0 AS seq FROM operations WHERE id IN (${marks})
                 UNION ALL SELECT chain_id, operation_id, created_at, rowid FROM operation_links WHERE chain_id IN (${marks})) m
           LEFT JOIN operations o ON o.id = m.id
           ORDER BY m.chain, m.linked_at, m.seq`,
        )
        .all(...chunk, ...chunk) as (ViewMember & { chain: string })[];
      for (const { chain, ...member } of rows) members.set(chain, [...(members.get(chain) ?? []), member]);
      for (const chain of this.db
        .prepare(`SELECT chain_id FROM sends WHERE chain_id IN (${marks}) AND state IN ('queued', 'submitting')`)
        .pluck()
        .all(...chunk) as string[]) {
        open.add(chain);
      }
    }
    return items.map(({ chain, ...row }) => ({
      send: fromRow(row),
      chain: chain ? (members.get(chain) ?? []) : [],
      resendOnItsWay: chain ? open.has(chain) : false,
    }));
  }

  private claimChain(resendOf: string): string {
    const chainId = this.chainOf(resendOf);
    const open = this.openSendOf(chainId);
    if (open) throw new ChainBusyError('resend_in_progress', open.operation_id, open.batch_id);
    const head = this.headOf(resendOf);
    if (head.id !== resendOf.toLowerCase()) throw new ChainBusyError('already_resent', head.id, null);
    if (head.status !== 'failed') throw new ChainBusyError('not_failed', head.id, null);
    return chainId;
  }

  private insert(row: NewSend & Pick<Send, 'id' | 'batch_id' | 'position' | 'chain_id' | 'state' | 'submitting_since' | 'created_at'>): void {
    this.db
      .prepare(
        `INSERT INTO sends (id, batch_id, position, resource, request, connection_id, sender_id, recipient_id, recipient_name, message_text, priority,
           reply_to_message_id, is_sync, resend_of, chain_id, state, submitting_since, account_id, account_name, created_at)
         VALUES (@id, @batch_id, @position, @resource, @request, @connection_id, @sender_id, @recipient_id, @recipient_name, @message_text, @priority,
           @reply_to_message_id, @is_sync, @resend_of, @chain_id, @state, @submitting_since, @account_id, @account_name, @created_at)`,
      )
      .run({
        id: row.id,
        batch_id: row.batch_id,
        position: row.position,
        resource: row.resource ?? 'message',
        request: row.request ? JSON.stringify(row.request) : null,
        connection_id: row.connection_id.toLowerCase(),
        sender_id: row.sender_id?.toLowerCase() ?? null,
        recipient_id: row.recipient_id?.toLowerCase() ?? null,
        recipient_name: row.recipient_name ?? null,
        message_text: row.message_text ?? null,
        priority: row.priority ?? null,
        reply_to_message_id: row.reply_to_message_id ?? null,
        is_sync: row.is_sync ? 1 : 0,
        resend_of: row.resend_of?.toLowerCase() ?? null,
        chain_id: row.chain_id,
        state: row.state,
        submitting_since: row.submitting_since,
        account_id: row.account_id ?? null,
        account_name: row.account_name ?? null,
        created_at: row.created_at,
      });
  }

  private getOrThrow(id: string): Send {
    const send = this.get(id);
    if (!send) throw new Error(`send ${id} vanished from the store`);
    return send;
  }
}

function fromRow(row: SendRow): Send {
  const request = row.request === null ? null : storedRequestSchema.safeParse(JSON.parse(row.request));
  return { ...row, is_sync: row.is_sync === 1, request: request?.success ? request.data : null };
}

/** A request as one string with its keys in order, to tell two requests apart by what they write. */
function canonical(request: CatenaWriteRequest): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]))
        : value;
  return JSON.stringify(sorted({ method: request.method, path: request.path.toLowerCase(), body: request.body }));
}
