import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CursorPage } from '../http/cursor-page.ts';
import type { OperationRead } from '../operations/operation-views.ts';
import { startSimulator, waitFor, type SimHarness } from '../test-support/sim-harness.ts';

let h: SimHarness;
beforeAll(async () => {
  h = await startSimulator({ seedHistory: true, timeScale: 0.02 });
});
afterAll(() => h.close());

const LIST = '/v2/integrations/connections/resource-operations?size=1000';

async function message(connectionId: string) {
  const users = (
    await h.api<CursorPage<{ id: string; is_driver: boolean; is_active: boolean }>>(`/v2/telematics/users?connection_id=${connectionId}`)
  ).body.items;
  return h.api<OperationRead>('/v2/telematics/messages', {
    json: {
      connection_id: connectionId,
      sender_id: users.find((u) => !u.is_driver)?.id,
      recipient_id: users.find((u) => u.is_driver && u.is_active)?.id,
      message_text: 'hello',
    },
  });
}

describe('/_sim control API', () => {
  it('GET /_sim/state shows settings, the seeded expired_credentials scenario and the connections', async () => {
    const state = await h.state();
    expect(state.time_scale).toBe(0.02);
    expect(state.connections.map((c) => [c.fleet_name, c.tsp, c.status])).toEqual([
      ['Northwind Freight', 'samsara', 'active'],
      ['Blue Ridge Logistics', 'motive', 'active'],
      ['Prairie Haulers', 'geotab', 'active'],
      ['Coastal Carriers', 'samsara', 'active'],
      ['Summit Transport', 'motive', 'paused'],
    ]);
    const coastal = state.connections.find((c) => c.fleet_name === 'Coastal Carriers');
    expect(state.scenarios).toEqual([
      { id: expect.any(String), scenario: 'expired_credentials', connection_id: coastal?.id, tsp: null, created_at: expect.any(String) },
    ]);
  });

  it('adds scenarios per TSP or connection, deletes one or all, and validates input', async () => {
    const outage = await h.call<{ id: string; scenario: string; tsp: string }>('/_sim/scenarios', { json: { scenario: 'outage', tsp: 'geotab' } });
    expect(outage.status).toBe(201);
    expect(outage.body).toMatchObject({ scenario: 'outage', tsp: 'geotab', connection_id: null });
    const again = await h.call<{ id: string }>('/_sim/scenarios', { json: { scenario: 'outage', tsp: 'geotab' } });
    expect([again.status, again.body.id]).toEqual([200, outage.body.id]);

    const prairie = await h.connection('Prairie Haulers');
    const op = (await message(prairie.id)).body;
    const done = await waitFor(async () => {
      const { body } = await h.api<OperationRead>(`/v2/integrations/connections/${prairie.id}/resource-operations/${op.id}`);
      return body.status === 'pending' ? undefined : body;
    }, 'outage to fail the operation');
    expect(done.logs.map((l) => l.error_type)).toEqual(['tsp', 'tsp', 'tsp', 'tsp', 'tsp']);

    for (const body of [
      { scenario: 'outage' },
      { scenario: 'outage', tsp: 'geotab', connection_id: prairie.id },
      { scenario: 'meteor', tsp: 'geotab' },
      { scenario: 'slow', tsp: 'omnitracs' },
      { scenario: 'slow', connection_id: 'abc' },
    ]) {
      expect((await h.call('/_sim/scenarios', { json: body })).status).toBe(422);
    }
    expect((await h.call('/_sim/scenarios', { json: { scenario: 'slow', connection_id: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
    expect((await h.call('/_sim/scenarios', { raw: '{oops', contentType: 'application/json' })).status).toBe(422);

    expect((await h.call(`/_sim/scenarios/${outage.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.call(`/_sim/scenarios/${outage.body.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await h.call('/_sim/scenarios', { method: 'DELETE' })).status).toBe(204);
    expect((await h.state()).scenarios).toEqual([]);
  });

  it('PUT /_sim/settings changes settings and rejects bad values', async () => {
    const put = await h.call('/_sim/settings', { method: 'PUT', json: { time_scale: 0.05, api_rate_limit_per_second: 200 } });
    // The stale grace stays Catena's 15 minutes unless a test sets it.
    expect(put.body).toEqual({ time_scale: 0.05, api_rate_limit_per_second: 200, webhook_stale_grace_seconds: 900 });
    const grace = await h.call('/_sim/settings', { method: 'PUT', json: { webhook_stale_grace_seconds: 0 } });
    expect(grace.body).toMatchObject({ webhook_stale_grace_seconds: 0 });
    for (const body of [
      { time_scale: 0 },
      { time_scale: -1 },
      { time_scale: 'fast' },
      { api_rate_limit_per_second: 0 },
      { api_rate_limit_per_second: 1.5 },
      { webhook_stale_grace_seconds: -1 },
    ]) {
      expect((await h.call('/_sim/settings', { method: 'PUT', json: body })).status).toBe(422);
    }
    expect((await h.state()).time_scale).toBe(0.05);
  });

  it('POST /_sim/reset restores the seed but keeps tokens and webhook subscriptions', async () => {
    await h.call('/_sim/reset', { method: 'POST' });
    const before = (await h.api<CursorPage<OperationRead>>(LIST)).body.items.map((op) => op.id);
    const hook = await h.api<{ id: string }>('/v2/notifications/webhooks', {
      json: { url: 'https://example.com/webhooks/x', event_name: 'resource_operation.created' },
    });
    const northwind = await h.connection('Northwind Freight');
    const extra = (await message(northwind.id)).body;
    await h.call('/_sim/scenarios', { json: { scenario: 'slow', tsp: 'samsara' } });

    const reset = await h.call<{ time_scale: number; scenarios: { scenario: string }[] }>('/_sim/reset', { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(reset.body.time_scale).toBe(0.02);
    expect(reset.body.scenarios.map((s) => s.scenario)).toEqual(['expired_credentials']);
    const after = (await h.api<CursorPage<OperationRead>>(LIST)).body.items.map((op) => op.id);
    expect(after).not.toContain(extra.id);
    expect(after).toEqual(before);
    // The same token still works and the subscription is still there.
    expect((await h.api(`/v2/notifications/webhooks/${hook.body.id}`)).status).toBe(200);
  });
});

describe('background traffic', () => {
  it('is off by default; PUT sets rate and mix, writes appear in the list as other systems make them, reset turns it off', async () => {
    expect((await h.call<Record<string, unknown>>('/_sim/traffic')).body).toMatchObject({ rate_per_minute: 0, running: false });
    const bad = await h.call('/_sim/traffic', { method: 'PUT', json: { rate_per_minute: -1, mix: { spaceship: 1 } } });
    expect(bad.status).toBe(422);
    const before = (await h.api<{ items: unknown[] }>('/v2/integrations/connections/resource-operations?size=1000')).body.items.length;
    const set = await h.call<Record<string, unknown>>('/_sim/traffic', {
      method: 'PUT',
      json: { rate_per_minute: 600, mix: { message: 0, vehicle_update: 5 } },
    });
    expect(set.body).toMatchObject({ rate_per_minute: 600, running: true, mix: { message: 0, vehicle_update: 5 } });
    await waitFor(
      async () => {
        const items = (await h.api<{ items: { resource: string }[] }>('/v2/integrations/connections/resource-operations?size=1000')).body.items;
        return items.length >= before + 2 ? items : undefined;
      },
      'two background writes',
      5000,
    );
    expect((await h.call<Record<string, unknown>>('/_sim/traffic')).body['written']).toEqual(expect.any(Number));
    await h.call('/_sim/reset', { method: 'POST' });
    expect((await h.call<Record<string, unknown>>('/_sim/traffic')).body).toMatchObject({ rate_per_minute: 0, running: false });
  });
});
