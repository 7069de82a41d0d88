import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CursorPage } from '../http/cursor-page.ts';
import { startSimulator, type SimHarness } from '../test-support/sim-harness.ts';
import type { OperationRead } from './operation-views.ts';

type Page = CursorPage<OperationRead>;
const LIST = '/v2/integrations/connections/resource-operations';

let h: SimHarness;
let all: OperationRead[];

beforeAll(async () => {
  h = await startSimulator({ seedHistory: true });
  all = (await h.api<Page>(`${LIST}?size=1000`)).body.items;
});
afterAll(() => h.close());

const ids = (ops: OperationRead[]) => ops.map((op) => op.id);
const key = (op: OperationRead) => `${op.created_at} ${op.id}`;

describe('GET /v2/integrations/connections/resource-operations', () => {
  it('lists the seeded history of the last day in ascending created_at, then id', async () => {
    expect(all.length).toBeGreaterThanOrEqual(140);
    const sorted = [...all].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(ids(all)).toEqual(ids(sorted));
    const page = await h.api<Page>(LIST);
    expect(page.body.items).toHaveLength(all.length); // default size 300 holds them all
    expect(page.body.next_page).toBeNull();
    expect(page.body.previous_page).toBeNull();
  });

  it('follows next_page across pages with no duplicates and no gaps, and previous_page goes back', async () => {
    const seen: OperationRead[] = [];
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: Page = (await h.api<Page>(`${LIST}?size=7${query}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(7);
      pages.push(page);
      seen.push(...page.items);
      cursor = page.next_page;
    } while (cursor);
    expect(ids(seen)).toEqual(ids(all));
    expect(pages.length).toBe(Math.ceil(all.length / 7));

    const third = pages[2] as Page;
    const back = (await h.api<Page>(`${LIST}?size=7&cursor=${encodeURIComponent(third.previous_page ?? '')}`)).body;
    expect(ids(back.items)).toEqual(ids((pages[1] as Page).items));
    const again = (await h.api<Page>(`${LIST}?size=7&cursor=${encodeURIComponent(third.current_page ?? '')}`)).body;
    expect(ids(again.items)).toEqual(ids(third.items));
    const backwards = (await h.api<Page>(`${LIST}?size=7&cursor=${encodeURIComponent(third.current_page_backwards ?? '')}`)).body;
    expect(ids(backwards.items)).toEqual(ids(third.items));
  });

  it('filters by connection, source name, fleet refs, resource, operation and source_id', async () => {
    const northwindId = (await h.connection('Northwind Freight')).id;
    const byConnection = (await h.api<Page>(`${LIST}?size=1000&connection_id=${northwindId}`)).body.items;
    expect(byConnection.length).toBeGreaterThan(0);
    expect(byConnection.every((op) => op.connection_id === northwindId)).toBe(true);

    const motive = (await h.api<Page>(`${LIST}?size=1000&source_name=motive`)).body.items;
    expect(motive.length).toBe(all.filter((op) => op.source_name === 'motive').length);

    const refs = (await h.api<Page>(`${LIST}?size=1000&fleet_refs=PRH-0388&fleet_refs=CCX-5120`)).body.items;
    expect(new Set(refs.map((op) => op.fleet_ref))).toEqual(new Set(['PRH-0388', 'CCX-5120']));

    const updates = (await h.api<Page>(`${LIST}?size=1000&resource=user&operation=update`)).body.items;
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((op) => op.resource === 'user' && op.operation_type === 'update')).toBe(true);
    const allUpdates = (await h.api<Page>(`${LIST}?size=1000&operation=update`)).body.items;
    expect(allUpdates.length).toBeGreaterThan(updates.length);
    expect((await h.api<Page>(`${LIST}?size=1000&operation=create`)).body.items.length).toBe(all.length - allUpdates.length);

    const target = updates[0] as OperationRead;
    const bySource = (await h.api<Page>(`${LIST}?resource=user&source_id=${target.source_id}`)).body.items;
    expect(ids(bySource)).toContain(target.id);
    expect(bySource.every((op) => op.source_id === target.source_id)).toBe(true);
  });

  it('filters on created_at: from is inclusive, to is exclusive', async () => {
    const pivot = all[40] as OperationRead;
    const from = (await h.api<Page>(`${LIST}?size=1000&from_datetime=${pivot.created_at}`)).body.items;
    expect(from.every((op) => op.created_at >= pivot.created_at)).toBe(true);
    expect(ids(from)).toContain(pivot.id);
    const to = (
      await h.api<Page>(
        `${LIST}?size=1000&to_datetime=${pivot.created_at}&from_datetime=${new Date(Date.parse(pivot.created_at) - 86_400_000 * 2).toISOString()}`,
      )
    ).body.items;
    expect(ids(to)).not.toContain(pivot.id);
    expect(to.length + from.length).toBe(all.length);
    const old = (await h.api<Page>(`${LIST}?from_datetime=2020-01-01T00:00:00Z&to_datetime=2020-01-02T00:00:00`)).body;
    expect(old.items).toEqual([]);
    expect(old.next_page).toBeNull();
  });

  it('422 for windows over 45 days, from after to, size out of range, bad enums, source_id without resource', async () => {
    const bad = [
      ['from_datetime=2026-01-01T00:00:00Z&to_datetime=2026-02-16T00:00:00Z', 'query.to_datetime'],
      ['from_datetime=2026-02-01T00:00:00Z&to_datetime=2026-01-01T00:00:00Z', 'query.from_datetime'],
      ['size=0', 'query.size'],
      ['size=1001', 'query.size'],
      ['size=ten', 'query.size'],
      ['resource=spaceship', 'query.resource'],
      ['source_name=not_a_tsp', 'query.source_name'],
      ['operation=delete', 'query.operation'],
      ['connection_id=123', 'query.connection_id'],
      ['source_id=abc', 'query.source_id'],
      ['from_datetime=yesterday', 'query.from_datetime'],
    ] as const;
    for (const [query, path] of bad) {
      const result = await h.api<{ code: number; message: string; detail: { path: string }[] }>(`${LIST}?${query}`);
      expect({ query, status: result.status, paths: result.body.detail.map((d) => d.path) }).toEqual({ query, status: 422, paths: [path] });
      expect(result.body.message).toBe('Invalid Request Body');
    }
    expect((await h.api(`${LIST}?from_datetime=2026-01-01T00:00:00Z&to_datetime=2026-02-15T00:00:00Z`)).status).toBe(200);
    expect((await h.api(`${LIST}?size=1000`)).status).toBe(200);
  });

  it('400 for a garbage cursor', async () => {
    for (const cursor of ['garbage', 'eyJ4IjoxfQ', '%%%', 'a'.repeat(3000)]) {
      const result = await h.api<{ code: number; detail: string }>(`${LIST}?cursor=${encodeURIComponent(cursor)}`);
      expect(result.status).toBe(400);
      expect(result.body).toEqual({ code: 400, message: 'Bad Request', detail: 'Invalid cursor value' });
    }
  });
});

describe('GET /v2/integrations/connections/{connection_id}/resource-operations/{id}', () => {
  it('returns the operation with its logs, 404 under another connection or when unknown', async () => {
    const op = all.find((o) => o.logs.length > 2) as OperationRead;
    const found = await h.api<OperationRead>(`/v2/integrations/connections/${op.connection_id}/resource-operations/${op.id}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual(op);
    const other = (await h.state()).connections.find((c) => c.id !== op.connection_id)?.id;
    expect((await h.api(`/v2/integrations/connections/${other}/resource-operations/${op.id}`)).status).toBe(404);
    expect((await h.api(`/v2/integrations/connections/${op.connection_id}/resource-operations/00000000-0000-4000-8000-000000000000`)).status).toBe(
      404,
    );
    expect((await h.api(`/v2/integrations/connections/${op.connection_id}/resource-operations/nope`)).status).toBe(422);
  });
});
