import type { SqliteDatabase } from './database.ts';

/**
 * How long the bookkeeping tables remember. Catena redelivers an event within minutes (6 attempts
 * over about a minute here; undocumented for real Catena), and a client retries an intent within
 * minutes too: a week is far past both, and keeps the tables from growing for ever.
 */
export const WEBHOOK_EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_KEY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Forgets event ids and finished idempotency keys past their retention. Returns how many rows went. */
export function pruneBookkeeping(db: SqliteDatabase, now = Date.now()): { webhookEvents: number; idempotencyKeys: number } {
  const webhookEvents = db
    .prepare('DELETE FROM webhook_events WHERE received_at < ?')
    .run(new Date(now - WEBHOOK_EVENT_RETENTION_MS).toISOString()).changes;
  const idempotencyKeys = db
    .prepare(`DELETE FROM idempotency_keys WHERE state = 'done' AND created_at < ?`)
    .run(new Date(now - IDEMPOTENCY_KEY_RETENTION_MS).toISOString()).changes;
  return { webhookEvents, idempotencyKeys };
}
