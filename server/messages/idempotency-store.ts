import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { changesOf, firstOf, type Executor } from '../db/query.ts';

/**
 * A key claimed but with no send recorded yet is only being checked (compose checks, well within
 * a send's deadline); past this (on the database's clock) its server is taken to have died before anything left.
 */
const ABANDONED_AFTER_MS = 60 * 1000;

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; statusCode: number; response: unknown; operationId: string | null }
  /** Another request holds the key: still being checked (`sendId` null), or its send is on its way or in doubt. */
  | { kind: 'in_flight'; sendId: string | null }
  | { kind: 'mismatch' };

type Row = {
  request_hash: string;
  state: string;
  status_code: number | null;
  response: string | null;
  operation_id: string | null;
  send_id: string | null;
  abandoned: number;
};

/**
 * Remembers each Idempotency-Key with the request it came with and the answer it got, so a double
 * click or a retried request is answered from memory instead of sending a driver the message twice.
 * A key whose send is in doubt stays claimed until that send is settled (decision 0020). Shared by
 * every server: a retry that lands on another server finds the key all the same.
 */
export class IdempotencyStore {
  constructor(private readonly store: StoreDatabase) {}

  /**
   * Claims `key` for this request, atomically across servers (the insert is the claim: of two at
   * once, the primary key lets one in); or says why it cannot be claimed.
   */
  async claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    return this.store.db.transaction().execute(async (trx): Promise<IdempotencyClaim> => {
      if (await this.insert(trx, scope, key, requestHash)) return { kind: 'claimed' };
      const row = await this.read(trx, scope, key);
      if (!row) return { kind: 'in_flight', sendId: null };
      if (row.request_hash !== requestHash) return { kind: 'mismatch' };
      const answered = answerOf(row);
      if (answered) return answered;
      if (row.send_id !== null) return { kind: 'in_flight', sendId: row.send_id };
      if (row.abandoned !== 1) return { kind: 'in_flight', sendId: null };
      // Abandoned before anything left: taken over, only if it is still that abandoned claim.
      const taken = await changesOf(
        trx,
        sql`UPDATE idempotency_keys SET created_at = ${this.store.dialect.now()}
            WHERE scope = ${scope} AND key = ${key} AND state = 'in_flight' AND send_id IS NULL AND created_at < ${this.store.dialect.nowPlus(-ABANDONED_AFTER_MS)}`,
      );
      return taken === 1 ? { kind: 'claimed' } : { kind: 'in_flight', sendId: null };
    });
  }

  /**
   * Where a key stands for this same request, without claiming it: answered (`replay`), held by a
   * recorded send (`in_flight` with its id), or nothing to say (free, being checked, or another request's).
   */
  async peek(scope: string, key: string, requestHash: string): Promise<Extract<IdempotencyClaim, { kind: 'replay' | 'in_flight' }> | null> {
    const row = await this.read(this.store.db, scope, key);
    if (!row || row.request_hash !== requestHash) return null;
    return answerOf(row) ?? (row.send_id ? { kind: 'in_flight', sendId: row.send_id } : null);
  }

  /**
   * Takes the key over from its earlier send, which was settled as never sent: only if the key
   * still belongs to that send, so of two retries racing for it (on any servers) one wins.
   */
  async takeOver(scope: string, key: string, requestHash: string, settledSendId: string): Promise<boolean> {
    const taken = await changesOf(
      this.store.db,
      sql`UPDATE idempotency_keys SET request_hash = ${requestHash}, send_id = NULL, created_at = ${this.store.dialect.now()}
          WHERE scope = ${scope} AND key = ${key} AND state = 'in_flight' AND send_id = ${settledSendId}`,
    );
    return taken === 1;
  }

  /** `db`: a transaction of the caller's, so the key is done exactly when what it made is stored. */
  async complete(
    scope: string,
    key: string,
    statusCode: number,
    response: unknown,
    operationId: string | null,
    db: Executor = this.store.db,
  ): Promise<void> {
    await sql`UPDATE idempotency_keys SET state = 'done', status_code = ${statusCode}, response = ${JSON.stringify(response)}, operation_id = ${operationId}
              WHERE scope = ${scope} AND key = ${key}`.execute(db);
  }

  /** Nothing was sent (Catena refused it, or it never left): the same key may try again. */
  async release(scope: string, key: string): Promise<void> {
    await sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key} AND state = 'in_flight'`.execute(this.store.db);
  }

  private read(db: Executor, scope: string, key: string): Promise<Row | undefined> {
    return firstOf(
      db,
      sql<Row>`SELECT request_hash, state, status_code, response, operation_id, send_id,
                      CASE WHEN created_at < ${this.store.dialect.nowPlus(-ABANDONED_AFTER_MS)} THEN 1 ELSE 0 END AS abandoned
               FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`,
    );
  }

  private async insert(db: Executor, scope: string, key: string, requestHash: string): Promise<boolean> {
    const inserted = await changesOf(
      db,
      sql`INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at)
          VALUES (${scope}, ${key}, ${requestHash}, 'in_flight', ${this.store.dialect.now()}) ON CONFLICT DO NOTHING`,
    );
    return inserted === 1;
  }
}

function answerOf(row: Row): Extract<IdempotencyClaim, { kind: 'replay' }> | null {
  if (row.state !== 'done' || row.status_code === null || row.response === null) return null;
  return { kind: 'replay', statusCode: row.status_code, response: JSON.parse(row.response), operationId: row.operation_id };
}
