import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { idempotencyKeySchema } from '../../contracts/message-schemas.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { Executor } from '../db/query.ts';
import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store.ts';

/** What a key is bound to: a hash of the intent it was first used for, so a different request with it is told apart. */
export function hashOfIntent(intent: unknown): string {
  return createHash('sha256').update(JSON.stringify(intent)).digest('hex');
}

/**
 * Claims `key`, or answers for it: a replay carries what the first request was answered; a key in
 * flight or used for another request is a 409 or 422 the client can act on.
 */
export async function claimKeyOrThrow(
  idempotency: IdempotencyStore,
  scope: string,
  key: string,
  requestHash: string,
): Promise<Extract<IdempotencyClaim, { kind: 'claimed' | 'replay' | 'in_flight' }>> {
  const claim = await idempotency.claim(scope, key, requestHash);
  if (claim.kind === 'in_flight' && claim.sendId === null) {
    throw new HttpError(
      409,
      'request_in_progress',
      'A request with this Idempotency-Key is still being handled. Wait a moment and retry with the same key.',
    );
  }
  if (claim.kind === 'mismatch') {
    throw new HttpError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
  return claim;
}

/** Marks the key done for `id` inside the transaction that records what the key made. */
export type MarkKeyDone = (db: Executor, id: string) => Promise<void>;

/**
 * Creates something (a broadcast, a resend batch) at most once per Idempotency-Key: a repeated
 * request gets what the first one made, whatever state it has reached since. `create` records it
 * and returns its id, calling `markDone` in the same transaction: a server that stops right after
 * the commit leaves a key that answers with what was made, never one that another server takes
 * over (after ABANDONED_AFTER_MS) and makes it again. `load` reads it back.
 */
export async function createOnce<T>(
  idempotency: IdempotencyStore,
  claim: { key: string | null; scope: string; intent: unknown },
  load: (id: string) => Promise<T | null>,
  create: (markDone: MarkKeyDone) => Promise<string>,
): Promise<{ value: T; replayed: boolean; statusCode: number }> {
  const { key, scope } = claim;
  if (key) {
    const answered = await claimKeyOrThrow(idempotency, scope, key, hashOfIntent(claim.intent));
    const existing = answered.kind === 'replay' && answered.operationId ? await load(answered.operationId) : null;
    if (answered.kind === 'replay' && existing) return { value: existing, replayed: true, statusCode: answered.statusCode };
  }
  const markDone: MarkKeyDone = async (db, id) => {
    if (key) await idempotency.complete(scope, key, 202, { id }, id, db);
  };
  try {
    const id = await create(markDone);
    const value = await load(id);
    if (value === null) throw new Error(`${scope} ${id} vanished from the store`);
    return { value, replayed: false, statusCode: 202 };
  } catch (error) {
    if (key) await idempotency.release(scope, key);
    throw error;
  }
}

/** The request's Idempotency-Key header, checked; null when the client sent none. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  return parseInput(idempotencyKeySchema, Array.isArray(raw) ? raw[0] : raw, 'Idempotency-Key header');
}
