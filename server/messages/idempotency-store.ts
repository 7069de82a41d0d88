import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { idempotencyKeySchema } from '../../contracts/message-schemas.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { HttpError, parseInput } from '../http/http-error.ts';

/**
 * A key claimed but with no send recorded yet is only being checked (compose checks, well within
 * a send's deadline); past this its process is taken to have died before anything left.
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
  created_at: string;
};

/**
 * Remembers each Idempotency-Key with the request it came with and the answer it got, so a double
 * click or a retried request is answered from memory instead of sending a driver the message twice.
 * A key whose send is in doubt stays claimed until that send is settled (decision 0020).
 */
export class IdempotencyStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Claims `key` for this request, atomically; or says why it cannot be claimed. */
  claim(scope: string, key: string, requestHash: string): IdempotencyClaim {
    return this.db.transaction((): IdempotencyClaim => {
      const row = this.db
        .prepare('SELECT request_hash, state, status_code, response, operation_id, send_id, created_at FROM idempotency_keys WHERE scope = ? AND key = ?')
        .get(scope, key) as Row | undefined;
      if (row) {
        if (row.request_hash !== requestHash) return { kind: 'mismatch' };
        if (row.state === 'done' && row.status_code !== null && row.response !== null) {
          return { kind: 'replay', statusCode: row.status_code, response: JSON.parse(row.response), operationId: row.operation_id };
        }
        if (row.send_id !== null) return { kind: 'in_flight', sendId: row.send_id };
        if (Date.now() - Date.parse(row.created_at) < ABANDONED_AFTER_MS) return { kind: 'in_flight', sendId: null };
        this.db.prepare('DELETE FROM idempotency_keys WHERE scope = ? AND key = ?').run(scope, key);
      }
      this.insert(scope, key, requestHash);
      return { kind: 'claimed' };
    }).immediate();
  }

  /**
   * Where a key stands for this same request, without claiming it: answered (`replay`), held by a
   * recorded send (`in_flight` with its id), or nothing to say (free, being checked, or another request's).
   */
  peek(scope: string, key: string, requestHash: string): Extract<IdempotencyClaim, { kind: 'replay' | 'in_flight' }> | null {
    const row = this.db
      .prepare('SELECT request_hash, state, status_code, response, operation_id, send_id FROM idempotency_keys WHERE scope = ? AND key = ?')
      .get(scope, key) as Omit<Row, 'created_at'> | undefined;
    if (!row || row.request_hash !== requestHash) return null;
    if (row.state === 'done' && row.status_code !== null && row.response !== null) {
      return { kind: 'replay', statusCode: row.status_code, response: JSON.parse(row.response), operationId: row.operation_id };
    }
    return row.send_id ? { kind: 'in_flight', sendId: row.send_id } : null;
  }

  /**
   * Takes the key over from its earlier send, which was settled as never sent: only if the key
   * still belongs to that send, so of two retries racing for it one wins.
   */
  takeOver(scope: string, key: string, requestHash: string, settledSendId: string): boolean {
    return this.db.transaction((): boolean => {
      const removed = this.db
        .prepare(`DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'in_flight' AND send_id = ?`)
        .run(scope, key, settledSendId).changes;
      if (removed === 0) return false;
      this.insert(scope, key, requestHash);
      return true;
    }).immediate();
  }

  /**
   * Claims `key`, or answers for it: a replay carries what the first request was answered; a key in
   * flight or used for another request is a 409 or 422 the client can act on.
   */
  claimOrThrow(scope: string, key: string, requestHash: string): Extract<IdempotencyClaim, { kind: 'claimed' | 'replay' | 'in_flight' }> {
    const claim = this.claim(scope, key, requestHash);
    if (claim.kind === 'in_flight' && claim.sendId === null) {
      throw new HttpError(409, 'request_in_progress', 'A request with this Idempotency-Key is still being handled. Wait a moment and retry with the same key.');
    }
    if (claim.kind === 'mismatch') {
      throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.');
    }
    return claim;
  }

  complete(scope: string, key: string, statusCode: number, response: unknown, operationId: string | null): void {
    this.db
      .prepare(`UPDATE idempotency_keys SET state = 'done', status_code = ?, response = ?, operation_id = ? WHERE scope = ? AND key = ?`)
      .run(statusCode, JSON.stringify(response), operationId, scope, key);
  }

  /** Nothing was sent (Catena refused it, or it never left): the same key may try again. */
  release(scope: string, key: string): void {
    this.db.prepare(`DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'in_flight'`).run(scope, key);
  }

  private insert(scope: string, key: string, requestHash: string): void {
    this.db
      .prepare(`INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at) VALUES (?, ?, ?, 'in_flight', ?)`)
      .run(scope, key, requestHash, new Date().toISOString());
  }
}

/**
 * Creates something (a broadcast, a resend batch) at most once per Idempotency-Key: a repeated
 * request gets what the first one made, whatever state it has reached since. `create` records it
 * and returns its id; `load` reads it back.
 */
export async function createOnce<T>(
  idempotency: IdempotencyStore,
  claim: { key: string | null; scope: string; intent: unknown },
  load: (id: string) => T | null,
  create: () => Promise<string>,
): Promise<{ value: T; replayed: boolean; statusCode: number }> {
  const { key, scope } = claim;
  if (key) {
    const answered = idempotency.claimOrThrow(scope, key, createHash('sha256').update(JSON.stringify(claim.intent)).digest('hex'));
    const existing = answered.kind === 'replay' && answered.operationId ? load(answered.operationId) : null;
    if (answered.kind === 'replay' && existing) return { value: existing, replayed: true, statusCode: answered.statusCode };
  }
  try {
    const id = await create();
    const value = load(id);
    if (value === null) throw new Error(`${scope} ${id} vanished from the store`);
    if (key) idempotency.complete(scope, key, 202, { id }, id);
    return { value, replayed: false, statusCode: 202 };
  } catch (error) {
    if (key) idempotency.release(scope, key);
    throw error;
  }
}

/** The request's Idempotency-Key header, checked; null when the client sent none. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  return parseInput(idempotencyKeySchema, Array.isArray(raw) ? raw[0] : raw, 'Idempotency-Key header');
}
