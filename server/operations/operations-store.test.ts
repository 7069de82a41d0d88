import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OperationDetail } from '../../contracts/operation-schemas.ts';
import { openDatabase } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { SqliteOperationsStore } from './operations-store.ts';

const NORTHWIND = 'c0ffee00-0000-4000-8000-000000000001';
const COASTAL = 'c0ffee00-0000-4000-8000-000000000004';

function operation(overrides: Partial<OperationDetail> & { minute: number }): OperationDetail {
  const { minute, ...rest } = overrides;
  const at = new Date(Date.UTC(2026, 10, 27, 10, minute)).toISOString();
  return {
    id: randomUUID(),
    created_at: at,
    updated_at: at,
    partner_id: randomUUID(),
    connection_id: NORTHWIND,
    fleet_ref: null,
    source_name: 'samsara',
    resource: 'message',
    resource_id: null,
    source_id: null,
    operation_type: 'create',
    status: 'success',
    payload: { message_text: 'Load 88 is ready at dock 4' },
    attempt_count: 1,
    last_error_type: null,
    logs: [],
    ...rest,
  };
}

let store: SqliteOperationsStore;
beforeEach(() => {
  store = new SqliteOperationsStore(openDatabase(':memory:'));
});

describe('SqliteOperationsStore', () => {
  it('lists newest first and pages with a cursor without gaps or repeats', () => {
    const all = Array.from({ length: 23 }, (_, i) => operation({ minute: i }));
    store.upsertMany(all, 'reconciler');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = store.list({}, { cursor, limit: 10 });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...all].reverse().map((op) => op.id));
  });

  it('filters by several connections, statuses and error types at once', () => {
    const failedAuth = operation({ minute: 1, connection_id: COASTAL, status: 'failed', last_error_type: 'auth' });
    const failedTsp = operation({ minute: 2, status: 'failed', last_error_type: 'tsp' });
    const pending = operation({ minute: 3, status: 'pending' });
    const other = operation({ minute: 4, connection_id: randomUUID() });
    store.upsertMany([failedAuth, failedTsp, pending, other], 'webhook');

    const ids = (filters: Parameters<typeof store.list>[0]) => store.list(filters, { limit: 50 }).items.map((i) => i.id);
    expect(ids({ connection_id: [NORTHWIND, COASTAL] })).toEqual([pending.id, failedTsp.id, failedAuth.id]);
    expect(ids({ status: ['failed'], error_type: ['auth'] })).toEqual([failedAuth.id]);
    expect(ids({ status: ['failed', 'pending'], connection_id: [NORTHWIND] })).toEqual([pending.id, failedTsp.id]);
  });

  it('filters by a time range on creation', () => {
    const early = operation({ minute: 0 });
    const late = operation({ minute: 30 });
    store.upsertMany([early, late], 'webhook');
    const page = store.list({ from: '2026-11-27T10:15:00Z', to: '2026-11-27T11:00:00Z' }, { limit: 50 });
    expect(page.items.map((i) => i.id)).toEqual([late.id]);
  });

  it('finds an operation by its id, resource id, source id or words of the message', () => {
    const target = operation({ minute: 5, resource_id: randomUUID(), source_id: 'samsara-msg-991', payload: { message_text: 'Reefer unit alarm at Fresno yard' } });
    store.upsertMany([target, operation({ minute: 6 })], 'webhook');
    const find = (q: string) => store.list({ q }, { limit: 50 }).items.map((i) => i.id);
    expect(find(target.id.toUpperCase())).toEqual([target.id]);
    expect(find(target.resource_id!)).toEqual([target.id]);
    expect(find('samsara-msg-991')).toEqual([target.id]);
    expect(find('fresno reefer')).toEqual([target.id]);
    expect(find('fres')).toEqual([target.id]);
    expect(find('"unbalanced AND (')).toEqual([]);
  });

  it('keeps the newest state whatever order updates arrive in', () => {
    const pending = operation({ minute: 1, status: 'pending' });
    const done = { ...pending, status: 'success' as const, updated_at: new Date(Date.parse(pending.updated_at) + 5000).toISOString(), attempt_count: 1 };
    expect(store.upsert(done, 'webhook')).toBe(true);
    expect(store.upsert(pending, 'console')).toBe(false);
    expect(store.get(pending.id)?.status).toBe('success');
  });

  it('counts by status and error type under the same filters', () => {
    store.upsertMany(
      [
        operation({ minute: 1, status: 'failed', last_error_type: 'auth', connection_id: COASTAL }),
        operation({ minute: 2, status: 'failed', last_error_type: 'tsp' }),
        operation({ minute: 3, status: 'success', last_error_type: 'network' }),
        operation({ minute: 4, status: 'pending' }),
      ],
      'webhook',
    );
    expect(store.summary({ connection_id: [NORTHWIND] })).toEqual({
      total: 3,
      by_status: { pending: 1, success: 1, failed: 1 },
      by_error_type: { auth: 0, validation: 0, network: 1, tsp: 1 },
    });
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => store.list({}, { cursor: 'not-a-cursor', limit: 10 })).toThrow(HttpError);
  });
});
