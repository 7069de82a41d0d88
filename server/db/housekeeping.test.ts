import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { pruneBookkeeping, WEBHOOK_EVENT_RETENTION_MS } from './housekeeping.ts';

describe('pruneBookkeeping', () => {
  it('forgets event ids and finished keys past a week, and keeps recent ones and keys still in flight', () => {
    const db = openDatabase(':memory:');
    const now = Date.now();
    const old = new Date(now - WEBHOOK_EVENT_RETENTION_MS - 60_000).toISOString();
    const recent = new Date(now - 60_000).toISOString();
    const event = db.prepare('INSERT INTO webhook_events (id, event_name, received_at) VALUES (?, ?, ?)');
    event.run('old-event', 'resource_operation.created', old);
    event.run('recent-event', 'resource_operation.created', recent);
    const key = db.prepare('INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at) VALUES (?, ?, ?, ?, ?)');
    key.run('messages', 'old-done', 'h', 'done', old);
    key.run('messages', 'old-in-flight', 'h', 'in_flight', old);
    key.run('messages', 'recent-done', 'h', 'done', recent);

    expect(pruneBookkeeping(db, now)).toEqual({ webhookEvents: 1, idempotencyKeys: 1 });
    expect(db.prepare('SELECT id FROM webhook_events').pluck().all()).toEqual(['recent-event']);
    expect(db.prepare('SELECT key FROM idempotency_keys ORDER BY key').pluck().all()).toEqual(['old-in-flight', 'recent-done']);
  });
});
