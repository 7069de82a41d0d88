import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CursorPage } from '../http/cursor-page.ts';
import { startSimulator, type SimHarness } from '../test-support/sim-harness.ts';
import type { toConnectionRead, toFleetRead, toUserRead } from './directory-views.ts';

type ConnectionRead = ReturnType<typeof toConnectionRead>;
type FleetRead = ReturnType<typeof toFleetRead>;
type UserRead = ReturnType<typeof toUserRead>;

let h: SimHarness;
beforeAll(async () => {
  h = await startSimulator({ seedHistory: false });
});
afterAll(() => h.close());

describe('connections', () => {
  it('lists the five seeded connections with masked credentials, filterable by fleet and TSP', async () => {
    const page = await h.api<CursorPage<ConnectionRead>>('/v2/integrations/connections');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(5);
    const samsara = page.body.items.find((c) => c.fleet_ref === 'NWF-1042');
    expect(samsara).toMatchObject({
      source_name: 'samsara',
      status: 'active',
      credentials: { client_id: '*****', client_secret: '*****', auth_code: '*****' },
    });
    expect(page.body.items.find((c) => c.fleet_ref === 'CCX-5120')?.description).toMatch(/auth|re-authoris/i);
    expect(page.body.items.find((c) => c.fleet_ref === 'SMT-7763')?.status).toBe('paused');

    const byRef = await h.api<CursorPage<ConnectionRead>>('/v2/integrations/connections?fleet_refs=BRL-2217&fleet_refs=SMT-7763');
    expect(byRef.body.items.map((c) => c.fleet_ref).sort()).toEqual(['BRL-2217', 'SMT-7763']);
    const byTsp = await h.api<CursorPage<ConnectionRead>>(`/v2/integrations/connections?tsp_id=${samsara?.tsp_id}`);
    expect(byTsp.body.items.map((c) => c.fleet_ref).sort()).toEqual(['CCX-5120', 'NWF-1042']);
    const byFleet = await h.api<CursorPage<ConnectionRead>>(`/v2/integrations/connections?fleet_ids=${samsara?.fleet_id}`);
    expect(byFleet.body.items.map((c) => c.id)).toEqual([samsara?.id]);

    const two = await h.api<CursorPage<ConnectionRead>>('/v2/integrations/connections?size=2');
    expect(two.body.items).toHaveLength(2);
    const next = await h.api<CursorPage<ConnectionRead>>(`/v2/integrations/connections?size=2&cursor=${two.body.next_page}`);
    expect(next.body.items.map((c) => c.id)).toEqual(page.body.items.slice(2, 4).map((c) => c.id));
  });

  it('gets one connection; 404 when unknown, 422 when not a uuid', async () => {
    const northwind = await h.connection('Northwind Freight');
    const one = await h.api<ConnectionRead>(`/v2/integrations/connections/${northwind.id}`);
    expect(one.body).toMatchObject({ id: northwind.id, fleet_id: northwind.fleet_id, source_name: 'samsara' });
    expect((await h.api(`/v2/integrations/connections/${northwind.id.toUpperCase()}`)).status).toBe(200);
    expect((await h.api('/v2/integrations/connections/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await h.api('/v2/integrations/connections/abc')).status).toBe(422);
  });
});

describe('fleets', () => {
  it('lists fleets with total and gets one by id', async () => {
    const page = await h.api<CursorPage<FleetRead> & { total: number }>('/v2/orgs/fleets');
    expect(page.body.total).toBe(5);
    expect(page.body.items.map((f) => f.display_name)).toContain('Prairie Haulers');
    const first = page.body.items[0] as FleetRead;
    expect(first).toMatchObject({ name: expect.any(String), fleet_ref: expect.stringMatching(/^[A-Z]{3}-\d{4}$/), country_code: 'USA' });
    expect((await h.api<FleetRead>(`/v2/orgs/fleets/${first.id}`)).body).toEqual(first);
    expect((await h.api('/v2/orgs/fleets/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const filtered = await h.api<CursorPage<FleetRead> & { total: number }>('/v2/orgs/fleets?fleet_refs=NWF-1042');
    expect([filtered.body.total, filtered.body.items[0]?.display_name]).toEqual([1, 'Northwind Freight']);
  });
});

describe('users', () => {
  it('lists drivers and dispatchers with every UserRead field', async () => {
    const all = (await h.api<CursorPage<UserRead>>('/v2/telematics/users?size=1000')).body.items;
    expect(all.filter((u) => u.is_driver).length).toBeGreaterThanOrEqual(50);
    const dispatcher = all.find((u) => !u.is_driver) as UserRead;
    expect(dispatcher).toMatchObject({ user_designation: 'Dispatcher', status: 'ACTIVE', is_active: true });
    const inactive = all.filter((u) => !u.is_active);
    expect(inactive.length).toBeGreaterThanOrEqual(2);
    expect(inactive.every((u) => u.status === 'INACTIVE' && u.user_designation === 'Driver')).toBe(true);
    for (const user of all) {
      expect(user.source_data).toEqual({});
      expect(user.source_data_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('filters by connection, is_driver and user_ids; include_source_data returns the TSP record', async () => {
    const prairie = await h.connection('Prairie Haulers');
    const drivers = (await h.api<CursorPage<UserRead>>(`/v2/telematics/users?connection_id=${prairie.id}&is_driver=true`)).body.items;
    expect(drivers.length).toBeGreaterThan(5);
    expect(drivers.every((u) => u.connection_id === prairie.id && u.is_driver && u.source_name === 'geotab')).toBe(true);
    const dispatchers = (await h.api<CursorPage<UserRead>>(`/v2/telematics/users?connection_id=${prairie.id}&is_driver=false`)).body.items;
    expect(dispatchers.every((u) => !u.is_driver)).toBe(true);

    const two = drivers.slice(0, 2).map((u) => u.id);
    const byIds = (await h.api<CursorPage<UserRead>>(`/v2/telematics/users?user_ids=${two[0]}&user_ids=${two[1]}&include_source_data=true`)).body
      .items;
    expect(byIds.map((u) => u.id).sort()).toEqual([...two].sort());
    expect(byIds[0]?.source_data).toMatchObject({ firstName: expect.any(String), isDriver: true });

    const one = await h.api<UserRead>(`/v2/telematics/users/${two[0]}`);
    expect(one.body.id).toBe(two[0]);
    expect((await h.api('/v2/telematics/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('sorts and pages', async () => {
    const byName = (await h.api<CursorPage<UserRead>>('/v2/telematics/users?sort_by=last_name&sort_order=desc&size=1000')).body.items;
    const names = byName.map((u) => u.last_name);
    expect(names).toEqual([...names].sort().reverse());
    const first = await h.api<CursorPage<UserRead>>('/v2/telematics/users?sort_by=last_name&sort_order=desc&size=10');
    const second = await h.api<CursorPage<UserRead>>(`/v2/telematics/users?sort_by=last_name&sort_order=desc&size=10&cursor=${first.body.next_page}`);
    expect([...first.body.items, ...second.body.items].map((u) => u.id)).toEqual(byName.slice(0, 20).map((u) => u.id));
    expect((await h.api('/v2/telematics/users?sort_by=password')).status).toBe(422);
    expect((await h.api('/v2/telematics/users?is_driver=perhaps')).status).toBe(422);
  });
});
