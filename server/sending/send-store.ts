import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SendMessageRequest } from '../../contracts/message-schemas.ts';
import type { CatenaWriteRequest } from '../catena/catena-client.ts';
import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { changesOf, firstOf, rowsOf, type Executor } from '../db/query.ts';
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
  /** A single send: when its request must have its answer (the sender's deadline). */
  answer_by: string | null;
  /** Read with `get`: its request left and may still be answered (before `answer_by`), so it is not in doubt yet. */
  on_its_way: boolean;
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

/**
 * Whether a batch item's page calls it "in doubt": its request left this long ago and its answer
 * has not been recorded (longer than a send's deadline, so it is not merely on its way).
 */
const BATCH_ITEM_IN_DOUBT_AFTER_MS = 20_000;

export function looksInDoubt(send: Send, now = Date.now()): boolean {
  return send.state === 'submitting' && Date.parse(send.submitting_since ?? send.created_at) < now - BATCH_ITEM_IN_DOUBT_AFTER_MS;
}

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

type SendRow = Omit<Send, 'is_sync' | 'request' | 'on_its_way'> & { is_sync: number; request: string | null; on_its_way?: number };

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
  constructor(private readonly store: StoreDatabase) {}

  async get(id: string, db: Executor = this.store.db): Promise<Send | null> {
    const row = await firstOf(
      db,
      sql<SendRow>`SELECT *, CASE WHEN state = 'submitting' AND answer_by > ${this.store.dialect.now()} THEN 1 ELSE 0 END AS on_its_way
        FROM sends WHERE id = ${id.toLowerCase()}`,
    );
    return row ? fromRow(row) : null;
  }

  /** The chain `operationId` belongs to: its first send's id. */
  async chainOf(operationId: string, db: Executor = this.store.db): Promise<string> {
    const id = operationId.toLowerCase();
    const row = await firstOf(db, sql<{ chain_id: string | null }>`SELECT chain_id FROM operation_links WHERE operation_id = ${id}`);
    return row?.chain_id ?? id;
  }

  /** Every operation of the chain, first send first, with what the store knows of each. */
  chainMembers(chainId: string, db: Executor = this.store.db): Promise<ChainMember[]> {
    const chain = chainId.toLowerCase();
    return rowsOf(
      db,
      sql<ChainMember>`SELECT m.id, o.status, o.created_at, o.updated_at, o.last_error_type, g.account_name AS sent_by
        FROM (SELECT CAST(${chain} AS TEXT) AS id, '' AS linked_at, 0 AS seq
              UNION ALL SELECT operation_id, created_at, ${this.store.dialect.linkOrder} FROM operation_links WHERE chain_id = ${chain}) m
        LEFT JOIN operations o ON o.id = m.id
        LEFT JOIN operation_origins g ON g.operation_id = m.id
        ORDER BY m.linked_at, m.seq`,
    );
  }

  /** The newest operation of the chain `operationId` belongs to, and its status (`chainId`, when the caller has it already). */
  async headOf(operationId: string, db: Executor = this.store.db, chainId?: string): Promise<{ id: string; status: string | null }> {
    const chain = chainId ?? (await this.chainOf(operationId, db));
    const head = await firstOf(
      db,
      sql<{
        id: string;
        status: string | null;
      }>`SELECT l.operation_id AS id, o.status FROM operation_links l LEFT JOIN operations o ON o.id = l.operation_id
        WHERE l.chain_id = ${chain} ORDER BY l.created_at DESC, l.${this.store.dialect.linkOrder} DESC LIMIT 1`,
    );
    if (head) return head;
    const first = await firstOf(db, sql<{ status: string }>`SELECT status FROM operations WHERE id = ${chain}`);
    return { id: chain, status: first?.status ?? null };
  }

  /** A resend of this chain that is queued or on its way (at most one: a unique index sees to it). */
  async openSendOf(chainId: string, db: Executor = this.store.db): Promise<Send | null> {
    const row = await firstOf(db, sql<SendRow>`SELECT * FROM sends WHERE chain_id = ${chainId.toLowerCase()} AND state IN ('queued', 'submitting')`);
    return row ? fromRow(row) : null;
  }

  /**
   * Records a single send as on its way (`submitting`), tied to its idempotency key. A resend also
   * claims its chain: refused when the chain's newest operation is not `resend_of` any more, is not
   * failed, or another resend of it is already on its way — checked and written in one transaction
   * that holds the chains' lock, so concurrent resends of one operation, on any server, record one send.
   */
  async recordSingle(send: NewSend, idempotency: { scope: string; key: string } | null, answerWithinMs: number): Promise<Send> {
    const id = randomUUID();
    const work = async (trx: Executor) => {
      const chainId = send.resend_of ? await this.claimChain(trx, send.resend_of) : null;
      await this.insert(trx, {
        ...send,
        id,
        batch_id: null,
        position: 0,
        chain_id: chainId,
        state: 'submitting',
        created_at: new Date().toISOString(),
        answerWithinMs,
      });
      if (idempotency) {
        await sql`UPDATE idempotency_keys SET send_id = ${id} WHERE scope = ${idempotency.scope} AND key = ${idempotency.key}`.execute(trx);
      }
      return this.getOrThrow(id, trx);
    };
    // Only a resend claims a chain: a new message takes no lock other servers' sends wait on.
    return send.resend_of ? this.claimingChains(work) : this.store.db.transaction().execute(work);
  }

  /**
   * Records a batch's items (`queued`) in one transaction, with what `before` writes first (the
   * broadcast or the resend batch the items belong to). A resend item whose chain cannot be
   * claimed is left out; the positions of those left out are returned with the reason.
   */
  async recordBatch(
    batchId: string,
    items: readonly NewSend[],
    around: { before?: (trx: Executor) => Promise<void>; after?: (trx: Executor, recorded: number, refused: RefusedItem[]) => Promise<void> } = {},
  ): Promise<{ recorded: number; refused: RefusedItem[] }> {
    const claims = items.some((item) => item.resend_of);
    const work = async (trx: Executor) => {
      await around.before?.(trx);
      const refused: RefusedItem[] = [];
      const rows: InsertRow[] = [];
      const now = new Date().toISOString();
      for (const [index, item] of items.entries()) {
        let chainId: string | null = null;
        if (item.resend_of) {
          try {
            chainId = await this.claimChain(trx, item.resend_of, rows);
          } catch (error) {
            if (!(error instanceof ChainBusyError)) throw error;
            refused.push({ index, reason: error.reason });
            continue;
          }
        }
        rows.push({ ...item, id: randomUUID(), batch_id: batchId, position: rows.length, chain_id: chainId, state: 'queued', created_at: now });
      }
      for (let start = 0; start < rows.length; start += 200) await this.insertMany(trx, rows.slice(start, start + 200));
      await around.after?.(trx, rows.length, refused);
      return { recorded: rows.length, refused };
    };
    return claims ? this.claimingChains(work) : this.store.db.transaction().execute(work);
  }

  /**
   * The next queued batch item, oldest batch first, marked as on its way — atomically, so of
   * several servers' dispatchers exactly one gets it (the others skip the row it is claiming).
   */
  async claimNext(): Promise<Send | null> {
    const { dialect } = this.store;
    const row = await firstOf(
      this.store.db,
      sql<SendRow>`UPDATE sends SET state = 'submitting', submitting_since = ${dialect.now()}
        WHERE state = 'queued' AND id = (
          SELECT id FROM sends WHERE state = 'queued' AND batch_id IS NOT NULL ORDER BY created_at, batch_id, position LIMIT 1 ${dialect.skipLocked})
        RETURNING *`,
    );
    return row ? fromRow(row) : null;
  }

  /**
   * Catena has it as `operationId`: the send is done, and a resend joins its chain — in one
   * transaction, so the chain's newest member and the end of the claim appear together.
   *
   * This and the other changes of a send's state apply only to the send as it was read (still
   * `submitting`, from the same claim): a server acting on what it read earlier (a settler that lost
   * the lead, a late answer) never undoes what another server did since. Returns whether it applied.
   */
  async markSubmitted(send: Send, operationId: string): Promise<boolean> {
    const opId = operationId.toLowerCase();
    return this.store.db.transaction().execute(async (trx) => {
      const applied = await changesOf(
        trx,
        sql`UPDATE sends SET state = 'submitted', operation_id = ${opId}, error = NULL WHERE ${this.asRead(send)}`,
      );
      if (applied === 0) return false;
      if (send.resend_of) {
        const chain = send.chain_id ?? (await this.chainOf(send.resend_of, trx));
        // Stamped by the database's clock: a chain's members order by it, whichever server linked them.
        await sql`INSERT INTO operation_links (operation_id, resend_of, chain_id, created_at)
                  VALUES (${opId}, ${send.resend_of}, ${chain}, ${this.store.dialect.now()}) ON CONFLICT DO NOTHING`.execute(trx);
      }
      await sql`INSERT INTO operation_origins (operation_id, account_id, account_name, broadcast_id, resend_batch_id)
                VALUES (${opId}, ${send.account_id}, ${send.account_name},
                        (SELECT id FROM broadcasts WHERE id = ${send.batch_id}), (SELECT id FROM resend_batches WHERE id = ${send.batch_id}))
                ON CONFLICT (operation_id) DO NOTHING`.execute(trx);
      return true;
    });
  }

  /** The send still as it was read: on its way from the same claim (`submitting_since` tells claims apart). */
  private asRead(send: Send) {
    return send.submitting_since === null
      ? sql`id = ${send.id} AND state = 'submitting' AND submitting_since IS NULL`
      : sql`id = ${send.id} AND state = 'submitting' AND submitting_since = ${send.submitting_since}`;
  }

  /** Certainly not sent (Catena said no, or the request never left): the chain is free again. */
  async markRefused(send: Send, error: string): Promise<boolean> {
    return (await changesOf(this.store.db, sql`UPDATE sends SET state = 'refused', error = ${error} WHERE ${this.asRead(send)}`)) === 1;
  }

  /** Settled: Catena never got it. A single send's key may now send again. */
  async markNotSent(send: Send): Promise<boolean> {
    return (await changesOf(this.store.db, sql`UPDATE sends SET state = 'not_sent' WHERE ${this.asRead(send)}`)) === 1;
  }

  /** A batch item Catena certainly did not take (a 429, or settled as never received): back in its place. */
  async requeue(send: Send): Promise<boolean> {
    // Into its place again — unless its batch was cancelled meanwhile: then it never leaves.
    const applied = await changesOf(
      this.store.db,
      sql`UPDATE sends SET submitting_since = NULL,
          state = CASE WHEN EXISTS (SELECT 1 FROM resend_batches b WHERE b.id = sends.batch_id AND b.cancelled_at IS NOT NULL)
                       THEN 'cancelled' ELSE 'queued' END
        WHERE ${this.asRead(send)}`,
    );
    return applied === 1;
  }

  /** Refused items of a broadcast go again, in place: nothing was sent for them. */
  requeueRefused(batchId: string): Promise<number> {
    return changesOf(
      this.store.db,
      sql`UPDATE sends SET state = 'queued', error = NULL, submitting_since = NULL WHERE batch_id = ${batchId} AND state = 'refused'`,
    );
  }

  /** Whatever of the batch has not left yet will not leave. */
  cancelQueued(batchId: string, db: Executor = this.store.db): Promise<number> {
    return changesOf(db, sql`UPDATE sends SET state = 'cancelled' WHERE batch_id = ${batchId} AND state = 'queued'`);
  }

  /**
   * Sends whose request left over `agoMs` ago (on the database's clock, the one every server's
   * sends are stamped with) and whose answer never came: in doubt until settled, whichever server sent them.
   */
  async inDoubt(agoMs: number): Promise<Send[]> {
    const rows = await rowsOf(
      this.store.db,
      sql<SendRow>`SELECT * FROM sends WHERE state = 'submitting' AND submitting_since < ${this.store.dialect.nowPlus(-agoMs)} ORDER BY submitting_since`,
    );
    return rows.map(fromRow);
  }

  /**
   * The operation Catena made for a send in doubt, if the store has one: same connection and
   * resource, created after the request left, not already another send's, and writing what the
   * send asked — for a message the same recipient and text, for any other write the same request.
   */
  async findLanded(send: Send, since: string, operations: Pick<OperationsStore, 'getMany'>): Promise<string | null> {
    const { db, dialect } = this.store;
    // What a resend resends, and the rest of its chain, look just like it: never its own answer.
    const notChain = send.chain_id
      ? sql`AND o.id <> ${send.chain_id} AND o.id NOT IN (SELECT operation_id FROM operation_links WHERE chain_id = ${send.chain_id})`
      : sql``;
    if (!send.request) {
      const row = await firstOf(
        db,
        sql<{ id: string }>`SELECT o.id FROM operations o
          WHERE o.connection_id = ${send.connection_id} AND o.resource = 'message' AND o.message_text = ${send.message_text}
            AND ${dialect.jsonText('o.payload', 'recipient_id')} = ${send.recipient_id} AND o.created_at >= ${since}
            AND NOT EXISTS (SELECT 1 FROM sends s WHERE s.operation_id = o.id) ${notChain}
          ORDER BY o.created_at LIMIT 1`,
      );
      return row?.id ?? null;
    }
    const candidates = await rowsOf(
      db,
      sql<{ id: string }>`SELECT o.id FROM operations o
        WHERE o.connection_id = ${send.connection_id} AND o.resource = ${send.resource} AND o.created_at >= ${since}
          AND NOT EXISTS (SELECT 1 FROM sends s WHERE s.operation_id = o.id) ${notChain}
        ORDER BY o.created_at LIMIT 500`,
    );
    const wanted = canonical(send.request);
    const found = (await operations.getMany(candidates.map((c) => c.id)))
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
      .find((op) => {
        const again = repeatRequestOf(op);
        return again.ok && canonical(again.request) === wanted;
      });
    return found?.id ?? null;
  }

  async itemsOf(batchId: string): Promise<Send[]> {
    const rows = await rowsOf(this.store.db, sql<SendRow>`SELECT * FROM sends WHERE batch_id = ${batchId.toLowerCase()} ORDER BY position`);
    return rows.map(fromRow);
  }

  /**
   * Each item of these batches with its chain as it stands: every operation of the chain (first
   * send first, with status, attempts and last error), and whether a resend of it is on its way.
   * A chain's newest member is what a person sees for that recipient.
   */
  async viewsOf(batchIds: readonly string[]): Promise<ItemView[]> {
    if (batchIds.length === 0) return [];
    const { db, dialect } = this.store;
    const ids = batchIds.map((id) => id.toLowerCase());
    const items = await rowsOf(
      db,
      sql<
        SendRow & { chain: string | null }
      >`SELECT s.*, CASE WHEN s.operation_id IS NULL THEN NULL ELSE COALESCE(l.chain_id, s.operation_id) END AS chain
        FROM sends s LEFT JOIN operation_links l ON l.operation_id = s.operation_id
        WHERE s.batch_id IN (${sql.join(ids)}) ORDER BY s.batch_id, s.position`,
    );
    const chains = [...new Set(items.flatMap((item) => (item.chain ? [item.chain] : [])))];
    const members = new Map<string, ViewMember[]>();
    const open = new Set<string>();
    for (let start = 0; start < chains.length; start += 400) {
      const chunk = chains.slice(start, start + 400);
      const rows = await rowsOf(
        db,
        sql<
          ViewMember & { chain: string }
        >`SELECT m.chain, m.id, o.status, o.created_at, o.updated_at, o.last_error_type, COALESCE(o.attempt_count, 0) AS attempt_count
          FROM (SELECT id AS chain, id, '' AS linked_at, 0 AS seq FROM operations WHERE id IN (${sql.join(chunk)})
                UNION ALL SELECT chain_id, operation_id, created_at, ${dialect.linkOrder} FROM operation_links WHERE chain_id IN (${sql.join(chunk)})) m
          LEFT JOIN operations o ON o.id = m.id
          ORDER BY m.chain, m.linked_at, m.seq`,
      );
      for (const { chain, ...member } of rows) members.set(chain, [...(members.get(chain) ?? []), member]);
      const openRows = await rowsOf(
        db,
        sql<{ chain_id: string }>`SELECT chain_id FROM sends WHERE chain_id IN (${sql.join(chunk)}) AND state IN ('queued', 'submitting')`,
      );
      for (const row of openRows) open.add(row.chain_id);
    }
    return items.map(({ chain, ...row }) => ({
      send: fromRow(row),
      chain: chain ? (members.get(chain) ?? []) : [],
      resendOnItsWay: chain ? open.has(chain) : false,
    }));
  }

  /** A transaction that may claim chains: one at a time across every server (the unique index backs it). */
  private claimingChains<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    return this.store.db.transaction().execute(async (trx) => {
      await this.store.dialect.lock(trx, 'fleetops:chains');
      return work(trx);
    });
  }

  /** `pending` are items of this same batch not written yet: a chain twice in one batch is claimed once. */
  private async claimChain(trx: Executor, resendOf: string, pending: readonly InsertRow[] = []): Promise<string> {
    const chainId = await this.chainOf(resendOf, trx);
    const inBatch = pending.find((row) => row.chain_id === chainId);
    if (inBatch) throw new ChainBusyError('resend_in_progress', null, inBatch.batch_id);
    const open = await this.openSendOf(chainId, trx);
    if (open) throw new ChainBusyError('resend_in_progress', open.operation_id, open.batch_id);
    const head = await this.headOf(resendOf, trx, chainId);
    if (head.id !== resendOf.toLowerCase()) throw new ChainBusyError('already_resent', head.id, null);
    if (head.status !== 'failed') throw new ChainBusyError('not_failed', head.id, null);
    return chainId;
  }

  private async insert(db: Executor, row: InsertRow): Promise<void> {
    await this.insertMany(db, [row]);
  }

  private async insertMany(db: Executor, rows: readonly InsertRow[]): Promise<void> {
    if (rows.length === 0) return;
    const { dialect } = this.store;
    const values = rows.map(
      (row) => sql`(${row.id}, ${row.batch_id}, ${row.position}, ${row.resource ?? 'message'}, ${row.request ? JSON.stringify(row.request) : null},
        ${row.connection_id.toLowerCase()}, ${row.sender_id?.toLowerCase() ?? null}, ${row.recipient_id?.toLowerCase() ?? null}, ${row.recipient_name ?? null},
        ${row.message_text ?? null}, ${row.priority ?? null}, ${row.reply_to_message_id ?? null}, ${row.is_sync ? 1 : 0},
        ${row.resend_of?.toLowerCase() ?? null}, ${row.chain_id}, ${row.state}, ${row.state === 'submitting' ? dialect.now() : null},
        ${row.account_id ?? null}, ${row.account_name ?? null}, ${row.created_at},
        ${row.answerWithinMs === undefined ? null : dialect.nowPlus(row.answerWithinMs)})`,
    );
    await sql`INSERT INTO sends (id, batch_id, position, resource, request, connection_id, sender_id, recipient_id, recipient_name, message_text, priority,
        reply_to_message_id, is_sync, resend_of, chain_id, state, submitting_since, account_id, account_name, created_at, answer_by)
      VALUES ${sql.join(values)}`.execute(db);
  }

  private async getOrThrow(id: string, db: Executor): Promise<Send> {
    const send = await this.get(id, db);
    if (!send) throw new Error(`send ${id} vanished from the store`);
    return send;
  }
}

type RefusedItem = { index: number; reason: ChainBusyError['reason'] };
type InsertRow = NewSend & Pick<Send, 'id' | 'batch_id' | 'position' | 'chain_id' | 'state' | 'created_at'> & { answerWithinMs?: number };

function fromRow({ on_its_way: onItsWay, ...row }: SendRow): Send {
  const request = row.request === null ? null : storedRequestSchema.safeParse(JSON.parse(row.request));
  return { ...row, is_sync: row.is_sync === 1, request: request?.success ? request.data : null, on_its_way: onItsWay === 1 };
}

/** A request as one string with its keys in order, to tell two requests apart by what they write. */
function canonical(request: CatenaWriteRequest): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return JSON.stringify(sorted({ method: request.method, path: request.path.toLowerCase(), body: request.body }));
}
