import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { operationListQuerySchema, type OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { openDatabase } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { SEARCH_CANDIDATES_MAX, SqliteOperationsStore } from './operations-store.ts';

const NORTHWIND = 'c0ffee00-0000-4000-8000-000000000001';
const COASTAL = 'c0ffee00-0000-4000-8000-000000000004';

function operation(overrides: Partial<OperationWithLogs> & { minute: number }): OperationWithLogs {
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

/** A page request as the route builds it, defaults included. */
const page = (request: Record<string, unknown> = {}) => operationListQuerySchema.parse({ limit: 50, ...request });

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
      const result = store.list({}, page({ cursor, limit: 10 }));
      seen.push(...result.items.map((item) => item.id));
      cursor = result.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...all].reverse().map((op) => op.id));
  });

  it('filters by several connections, statuses and error types at once', () => {
    const failedAuth = operation({ minute: 1, connection_id: COASTAL, status: 'failed', last_error_type: 'auth' });
    const failedTsp = operation({ minute: 2, status: 'failed', last_error_type: 'tsp' });
    const pending = operation({ minute: 3, status: 'pending' });
    const other = operation({ minute: 4, connection_id: randomUUID() });
    store.upsertMany([failedAuth, failedTsp, pending, other], 'webhook');

    const ids = (filters: Parameters<typeof store.list>[0]) => store.list(filters, page()).items.map((i) => i.id);
    expect(ids({ connection_id: [NORTHWIND, COASTAL] })).toEqual([pending.id, failedTsp.id, failedAuth.id]);
    expect(ids({ status: ['failed'], error_type: ['auth'] })).toEqual([failedAuth.id]);
    expect(ids({ status: ['failed', 'pending'], connection_id: [NORTHWIND] })).toEqual([pending.id, failedTsp.id]);
  });

  it('filters by a time range on creation', () => {
    const early = operation({ minute: 0 });
    const late = operation({ minute: 30 });
    store.upsertMany([early, late], 'webhook');
    const result = store.list({ from: '2026-11-27T10:15:00Z', to: '2026-11-27T11:00:00Z' }, page());
    expect(result.items.map((i) => i.id)).toEqual([late.id]);
  });

  it('finds an operation by its id, resource id, source id or words of the message', () => {
    const target = operation({ minute: 5, resource_id: randomUUID(), source_id: 'samsara-msg-991', payload: { message_text: 'Reefer unit alarm at Fresno yard' } });
    store.upsertMany([target, operation({ minute: 6 })], 'webhook');
    const find = (q: string) => store.list({ q }, page()).items.map((i) => i.id);
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

  it('finds the messages a person sent or received', () => {
    const driver = randomUUID();
    const toDriver = operation({ minute: 1, payload: { message_text: 'Gate 4', recipient_id: driver, sender_id: randomUUID() } });
    const fromDriver = operation({ minute: 2, payload: { message_text: 'On my way', recipient_id: randomUUID(), sender_id: driver } });
    store.upsertMany([toDriver, fromDriver, operation({ minute: 3 })], 'webhook');
    expect(store.list({ participant_id: driver.toUpperCase() }, page()).items.map((i) => i.id)).toEqual([fromDriver.id, toDriver.id]);
  });

  it('refuses a cursor it did not give out', () => {
    expect(() => store.list({}, page({ cursor: 'not-a-cursor' }))).toThrow(HttpError);
  });

  it('sorts by last update either way, and pages in that order', () => {
    const ops = [3, 1, 2].map((minutesLater, i) =>
      operation({ minute: i, updated_at: new Date(Date.UTC(2026, 10, 27, 11, minutesLater)).toISOString() }),
    );
    store.upsertMany(ops, 'webhook');
    const [second, first, third] = ops;
    const ids = (order: 'asc' | 'desc') => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const result = store.list({}, page({ sort: 'updated_at', order, limit: 1, cursor }));
        seen.push(...result.items.map((i) => i.id));
        cursor = result.next_cursor ?? undefined;
      } while (cursor);
      return seen;
    };
    expect(ids('desc')).toEqual([second!.id, third!.id, first!.id]);
    expect(ids('asc')).toEqual([first!.id, third!.id, second!.id]);
    const updatedCursor = store.list({}, page({ sort: 'updated_at', limit: 1 })).next_cursor!;
    expect(() => store.list({}, page({ cursor: updatedCursor }))).toThrow(HttpError);
  });

  it('searches the newest text matches only, so a word in most messages costs no more than a rare one', () => {
    const common = Array.from({ length: SEARCH_CANDIDATES_MAX + 300 }, (_, i) =>
      operation({ minute: i % 600, payload: { message_text: `Reefer ${i} please check the seal` } }),
    );
    const byId = operation({ minute: 700, source_id: 'msg-please', payload: { message_text: 'Gate code 4471' } });
    store.upsertMany([...common, byId], 'reconciler');

    const newestMatches = new Set(common.slice(-SEARCH_CANDIDATES_MAX).map((op) => op.id));
    // Each word, and the last one as a prefix ("ple" for "please"), through the 1-3 letter prefix index.
    for (const q of ['please', 'ple', 'p', 'reefer che']) {
      const summary = store.summary({ q });
      expect({ q, total: summary.total }).toEqual({ q, total: SEARCH_CANDIDATES_MAX });
      const listed = store.list({ q }, page({ limit: 500 })).items;
      expect(listed.every((item) => newestMatches.has(item.id))).toBe(true);
    }
    // An exact id is found besides the text matches, whatever their number.
    expect(store.list({ q: 'msg-please' }, page()).items.map((item) => item.id)).toEqual([byId.id]);
  });

  it('counts operations per time bucket and status over the range', async () => {
    store.upsertMany(
      [
        operation({ minute: 0, status: 'success' }),
        operation({ minute: 5, status: 'failed', last_error_type: 'tsp' }),
        operation({ minute: 14, status: 'success' }),
        operation({ minute: 20, status: 'pending' }),
        operation({ minute: 45, status: 'success' }),
      ],
      'webhook',
    );
    const timeline = await store.timeline({}, { from: '2026-11-27T10:00:00Z', to: '2026-11-27T10:30:00Z', buckets: 3 });
    expect(timeline.bucket_seconds).toBe(600);
    expect(timeline.buckets).toEqual([
      { start: '2026-11-27T10:00:00.000Z', pending: 0, success: 1, failed: 1 },
      { start: '2026-11-27T10:10:00.000Z', pending: 0, success: 1, failed: 0 },
      { start: '2026-11-27T10:20:00.000Z', pending: 1, success: 0, failed: 0 },
    ]);
  });

  it('links a resend to the operation it resent, both ways', () => {
    const failed = operation({ minute: 1, status: 'failed', last_error_type: 'auth' });
    const resend = operation({ minute: 2 });
    store.upsertMany([failed, resend], 'console');
    store.linkResend(resend.id, failed.id);
    expect(store.get(failed.id)).toMatchObject({ resend_of: null, resent_as: [resend.id] });
    expect(store.get(resend.id)).toMatchObject({ resend_of: failed.id, resent_as: [] });
  });
});
