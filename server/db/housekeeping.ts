import { sql } from 'kysely';
import type { StoreDatabase } from './database.ts';
import { changesOf } from './query.ts';

/**
 * How long the bookkeeping tables remember. Catena retries an event for about 5 s, then keeps it in
 * its dead-letter queue (up to 14 days) until it is replayed (decision 0043); a client retries an
 * intent within minutes. A week is far past the retries; an event replayed later than that whose id
 * was forgotten is stored again, which changes nothing (the newest `updated_at` wins). It keeps the
 * tables from growing for ever.
 */
export const WEBHOOK_EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_KEY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Longer than every sign-in budget's window (decision 0011). */
export const SIGN_IN_ATTEMPT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** An expired lease is as good as none; the throttles of watched operations leave one per operation. */
export const EXPIRED_LEASE_RETENTION_MS = 60 * 60 * 1000;

/** Forgets event ids, finished idempotency keys, sign-in attempts and leases past their retention. Returns how many rows went. */
export async function pruneBookkeeping(
  store: Pick<StoreDatabase, 'db'>,
  now = Date.now(),
): Promise<{ webhookEvents: number; idempotencyKeys: number; signInAttempts: number; leases: number }> {
  const before = (ms: number) => new Date(now - ms).toISOString();
  const webhookEvents = await changesOf(store.db, sql`DELETE FROM webhook_events WHERE received_at < ${before(WEBHOOK_EVENT_RETENTION_MS)}`);
  const idempotencyKeys = await changesOf(
    store.db,
    sql`DELETE FROM idempotency_keys WHERE state = 'done' AND created_at < ${before(IDEMPOTENCY_KEY_RETENTION_MS)}`,
  );
  const signInAttempts = await changesOf(store.db, sql`DELETE FROM sign_in_attempts WHERE at < ${before(SIGN_IN_ATTEMPT_RETENTION_MS)}`);
  const leases = await changesOf(store.db, sql`DELETE FROM leases WHERE expires_at < ${before(EXPIRED_LEASE_RETENTION_MS)}`);
  return { webhookEvents, idempotencyKeys, signInAttempts, leases };
}
