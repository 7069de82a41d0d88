import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { operationListQuerySchema, type OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import { StoreRefusal } from '../db/store-refusal.ts';
import { SEARCH_CANDIDATES_MAX, SqlOperationsStore } from './operations-store.ts';

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

describeEachEngine('the operations store', (openStore, engine) => {
  let store: SqlOperationsStore;
  beforeEach(async () => {
    store = new SqlOperationsStore(await openStore());
  });

  /** Every page of a listing, following the cursors to the end. */
  async function allPages(request: Record<string, unknown>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const result = await store.list({}, page({ ...request, cursor }));
      seen.push(...result.items.map((item) => item.id));
      cursor = result.next_cursor ?? undefined;
    } while (cursor);
    return seen;
  }

  it('lists newest first and pages with a cursor without gaps or repeats', async () => {
    const all = Array.from({ length: 23 }, (_, i) => operation({ minute: i }));
    await store.upsertMany(all, 'reconciler');
    expect(await allPages({ limit: 10 })).toEqual([...all].reverse().map((op) => op.id));
  });

  it('filters by several connections, statuses and error types at once', async () => {
    const failedAuth = operation({ minute: 1, connection_id: COASTAL, status: 'failed', last_error_type: 'auth' });
    const failedTsp = operation({ minute: 2, status: 'failed', last_error_type: 'tsp' });
    const pending = operation({ minute: 3, status: 'pending' });
    const other = operation({ minute: 4, connection_id: randomUUID() });
    await store.upsertMany([failedAuth, failedTsp, pending, other], 'webhook');

    const ids = async (filters: Parameters<typeof store.list>[0]) => (await store.list(filters, page())).items.map((i) => i.id);
    expect(await ids({ connection_id: [NORTHWIND, COASTAL] })).toEqual([pending.id, failedTsp.id, failedAuth.id]);
    expect(await ids({ status: ['failed'], error_type: ['auth'] })).toEqual([failedAuth.id]);
    expect(await ids({ status: ['failed', 'pending'], connection_id: [NORTHWIND] })).toEqual([pending.id, failedTsp.id]);
  });

  it('filters by a time range on creation', async () => {
    const early = operation({ minute: 0 });
    const late = operation({ minute: 30 });
    await store.upsertMany([early, late], 'webhook');
    const result = await store.list({ from: '2026-11-27T10:15:00Z', to: '2026-11-27T11:00:00Z' }, page());
    expect(result.items.map((i) => i.id)).toEqual([late.id]);
  });

  it('finds an operation by its id, resource id, source id or words of the message', async () => {
    const target = operation({
      minute: 5,
      resource_id: randomUUID(),
      source_id: 'samsara-msg-991',
      payload: { message_text: 'Reefer unit alarm at Fresno yard' },
    });
    await store.upsertMany([target, operation({ minute: 6 })], 'webhook');
    const find = async (q: string) => (await store.list({ q }, page())).items.map((i) => i.id);
    expect(await find(target.id.toUpperCase())).toEqual([target.id]);
    expect(await find(target.resource_id!)).toEqual([target.id]);
    expect(await find('samsara-msg-991')).toEqual([target.id]);
    expect(await find('fresno reefer')).toEqual([target.id]);
    expect(await find('fres')).toEqual([target.id]);
    expect(await find('"unbalanced AND (')).toEqual([]);
  });

  it('splits words at punctuation and finds accented letters by their plain ones, the same on both engines', async () => {
    const target = operation({ minute: 5, payload: { message_text: 'CAFÉ Zürich: mail ana@example.com, gate-7, dock/12, v1.2' } });
    await store.upsertMany([target, operation({ minute: 6 })], 'webhook');
    const find = async (q: string) => (await store.list({ q }, page())).items.map((i) => i.id);
    for (const q of ['cafe', 'café', 'zurich', 'Zürich', 'example', 'com', 'ana example', 'gate 7', 'dock 12', 'v1 2', 'mail ana']) {
      expect({ q, found: await find(q) }).toEqual({ q, found: [target.id] });
    }
    expect(await find('gate 8')).toEqual([]);
  });

  it('pages a field search that matches thousands (a fleet of one make) in time order, with every match once', async () => {
    const fords = Array.from({ length: 2100 }, (_, i) =>
      operation({ minute: i % 600, resource: 'vehicle', operation_type: 'update', payload: { vin: `1FTFW1E5${String(i).padStart(6, '0')}` } }),
    );
    const others = Array.from({ length: 300 }, (_, i) =>
      operation({ minute: i, resource: 'vehicle', operation_type: 'update', payload: { vin: `5YJ3E1EA${String(i).padStart(6, '0')}` } }),
    );
    await store.upsertMany([...fords, ...others], 'reconciler');
    const first = await store.list({ q: 'vin:1ftfw1e5' }, page({ limit: 50 }));
    const newest = [...fords].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id)).slice(0, 50);
    expect(first.items.map((item) => item.id)).toEqual(newest.map((op) => op.id));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const result = await store.list({ q: 'vin:1ftfw1e5' }, page({ cursor, limit: 500 }));
      seen.push(...result.items.map((item) => item.id));
      cursor = result.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(2100);
    expect(new Set(seen)).toEqual(new Set(fords.map((op) => op.id)));
    expect((await store.summary({ q: 'vin:1ftfw1e5' })).total).toBe(2100);
  });

  it("finds stuck work: operations still pending past their resource's threshold, and nothing else", async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const pending = (minutes: number, resource: string) =>
      operation({ minute: 0, status: 'pending', resource, created_at: ago(minutes), updated_at: ago(minutes) });
    const stuckMessage = pending(11, 'message');
    const stuckVehicle = pending(40, 'vehicle');
    await store.upsertMany(
      [
        stuckMessage,
        pending(5, 'message'),
        stuckVehicle,
        pending(20, 'vehicle'),
        operation({ minute: 0, status: 'failed', created_at: ago(60), updated_at: ago(59) }),
      ],
      'reconciler',
    );
    const found = (await store.list({ stuck: true }, page())).items.map((item) => item.id).sort();
    expect(found).toEqual([stuckMessage.id, stuckVehicle.id].sort());
    expect((await store.summary({ stuck: true })).total).toBe(2);
    expect((await store.list({ stuck: true, resource: ['vehicle'] }, page())).items.map((item) => item.id)).toEqual([stuckVehicle.id]);
    // Without the filter: the summary counts stuck work apart, under the page's other filters, and the list marks it.
    expect((await store.summary({})).stuck).toBe(2);
    expect((await store.summary({ resource: ['vehicle'] })).stuck).toBe(1);
    expect((await store.summary({ status: ['failed'] })).stuck).toBe(0);
    const marked = (await store.list({}, page())).items
      .filter((item) => item.stuck)
      .map((item) => item.id)
      .sort();
    expect(marked).toEqual([stuckMessage.id, stuckVehicle.id].sort());
  });

  it('keeps the newest state whatever order updates arrive in', async () => {
    const pending = operation({ minute: 1, status: 'pending' });
    const done = {
      ...pending,
      status: 'success' as const,
      updated_at: new Date(Date.parse(pending.updated_at) + 5000).toISOString(),
      attempt_count: 1,
    };
    expect(await store.upsert(done, 'webhook')).toBe(true);
    expect(await store.upsert(pending, 'console')).toBe(false);
    expect((await store.get(pending.id))?.status).toBe('success');
  });

  it('counts by status, failures by their final error, and apart those that succeeded after errors — under the same filters', async () => {
    await store.upsertMany(
      [
        operation({ minute: 1, status: 'failed', last_error_type: 'auth', connection_id: COASTAL }),
        operation({ minute: 2, status: 'failed', last_error_type: 'tsp' }),
        operation({ minute: 3, status: 'success', last_error_type: 'network' }),
        operation({ minute: 4, status: 'success', last_error_type: 'network' }),
        operation({ minute: 5, status: 'pending', last_error_type: 'network' }),
        operation({ minute: 6, status: 'pending' }),
      ],
      'webhook',
    );
    const summary = await store.summary({ connection_id: [NORTHWIND] });
    expect(summary).toEqual({
      total: 5,
      by_status: { pending: 2, success: 2, failed: 1 },
      by_error_type: { auth: 0, validation: 0, network: 0, tsp: 1 },
      recovered_by_error_type: { auth: 0, validation: 0, network: 2, tsp: 0 },
      // Both pending messages were created on 27 November: long past the 10 minutes a message may take.
      stuck: 2,
    });
    // The failures by error add up to the failed count.
    expect(Object.values(summary.by_error_type).reduce((sum, n) => sum + n, 0)).toBe(summary.by_status.failed);
  });

  it('finds the messages a person sent or received', async () => {
    const driver = randomUUID();
    const toDriver = operation({ minute: 1, payload: { message_text: 'Gate 4', recipient_id: driver, sender_id: randomUUID() } });
    const fromDriver = operation({ minute: 2, payload: { message_text: 'On my way', recipient_id: randomUUID(), sender_id: driver } });
    await store.upsertMany([toDriver, fromDriver, operation({ minute: 3 })], 'webhook');
    expect((await store.list({ participant_id: driver.toUpperCase() }, page())).items.map((i) => i.id)).toEqual([fromDriver.id, toDriver.id]);
  });

  it('refuses a cursor it did not give out', async () => {
    const refused = store.list({}, page({ cursor: 'not-a-cursor' }));
    await expect(refused).rejects.toThrow(StoreRefusal);
    await expect(refused).rejects.toMatchObject({ code: 'invalid_cursor' });
  });

  it('sorts by last update either way, and pages in that order', async () => {
    const ops = [3, 1, 2].map((minutesLater, i) =>
      operation({ minute: i, updated_at: new Date(Date.UTC(2026, 10, 27, 11, minutesLater)).toISOString() }),
    );
    await store.upsertMany(ops, 'webhook');
    const [second, first, third] = ops;
    expect(await allPages({ sort: 'updated_at', order: 'desc', limit: 1 })).toEqual([second!.id, third!.id, first!.id]);
    expect(await allPages({ sort: 'updated_at', order: 'asc', limit: 1 })).toEqual([first!.id, third!.id, second!.id]);
    const updatedCursor = (await store.list({}, page({ sort: 'updated_at', limit: 1 }))).next_cursor!;
    const refused = store.list({}, page({ cursor: updatedCursor }));
    await expect(refused).rejects.toThrow(StoreRefusal);
    await expect(refused).rejects.toMatchObject({ code: 'invalid_cursor' });
  });

  it('searches the newest text matches only, so a word in most messages costs no more than a rare one', async () => {
    const common = Array.from({ length: SEARCH_CANDIDATES_MAX + 300 }, (_, i) =>
      operation({ minute: i % 600, payload: { message_text: `Reefer ${i} please check the seal` } }),
    );
    const byId = operation({ minute: 700, source_id: 'msg-please', payload: { message_text: 'Gate code 4471' } });
    await store.upsertMany([...common, byId], 'reconciler');

    const newestMatches = new Set(common.slice(-SEARCH_CANDIDATES_MAX).map((op) => op.id));
    // Each word, and the last one as a prefix ("ple" for "please"), through the 1-3 letter prefix index.
    for (const q of ['please', 'ple', 'p', 'reefer che']) {
      const summary = await store.summary({ q });
      expect({ q, total: summary.total }).toEqual({ q, total: SEARCH_CANDIDATES_MAX });
      const listed = (await store.list({ q }, page({ limit: 500 }))).items;
      expect(listed.every((item) => newestMatches.has(item.id))).toBe(true);
    }
    // An exact id is found besides the text matches, whatever their number.
    expect((await store.list({ q: 'msg-please' }, page())).items.map((item) => item.id)).toEqual([byId.id]);
  });

  it('counts operations per time bucket and status over the range', async () => {
    await store.upsertMany(
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

  it('links a resend to the operation it resent, both ways', async () => {
    const failed = operation({ minute: 1, status: 'failed', last_error_type: 'auth' });
    const resend = operation({ minute: 2 });
    await store.upsertMany([failed, resend], 'console');
    await store.linkResend(resend.id, failed.id);
    expect(await store.get(failed.id)).toMatchObject({ resend_of: null, resent_as: [resend.id] });
    expect(await store.get(resend.id)).toMatchObject({ resend_of: failed.id, resent_as: [] });
  });

  it('stores an event once: delivered again, it stores nothing and says it was a duplicate', async () => {
    const op = operation({ minute: 1 });
    const event = { id: randomUUID(), name: 'resource_operation.created' };
    expect(await store.storeEvent(event, [op])).toEqual({ duplicate: false, stored: 1 });
    const later = { ...op, status: 'success' as const, updated_at: new Date(Date.parse(op.updated_at) + 1000).toISOString() };
    expect(await store.storeEvent(event, [later])).toEqual({ duplicate: true, stored: 0 });
    expect((await store.get(op.id))?.status).toBe(op.status);
  });

  it('of two servers given one event at once, one stores it and the other sees a duplicate', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new SqlOperationsStore(database));
    const ops = Array.from({ length: 5 }, (_, i) => operation({ minute: i }));
    const event = { id: randomUUID(), name: 'resource_operation.created' };
    const results = await Promise.all([a!.storeEvent(event, ops), b!.storeEvent(event, ops)]);
    expect(results.map((result) => result.duplicate).sort()).toEqual([false, true]);
    expect(results.map((result) => result.stored).sort()).toEqual([0, 5]);
    expect((await a!.getMany(ops.map((op) => op.id))).length).toBe(5);
  });

  it('of two servers storing the same operations at once in opposite orders (a webhook event and a reconciler page), both succeed', async () => {
    const [a, b] = (await openSharedStores(engine)).map((database) => new SqlOperationsStore(database));
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const stateOf = (id: string, attempt: number) => {
      const at = new Date(Date.UTC(2026, 10, 27, 10, 0, attempt)).toISOString();
      return { ...operation({ minute: 0 }), id, updated_at: at, attempt_count: attempt, status: 'pending' as const };
    };
    await a!.upsertMany(
      ids.map((id) => stateOf(id, 0)),
      'reconciler',
    );
    for (let round = 1; round <= 5; round += 1) {
      const listed = ids.map((id) => stateOf(id, 2 * round));
      const event = [...ids].reverse().map((id) => stateOf(id, 2 * round + 1));
      const results = await Promise.allSettled([
        a!.upsertMany(listed, 'reconciler'),
        b!.storeEvent({ id: randomUUID(), name: 'resource_operation.updated' }, event),
      ]);
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    }
    // The newest state of each is what the store holds.
    expect((await a!.getMany(ids)).every((op) => op.attempt_count === 11)).toBe(true);
  });
});
