import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OperationRead } from '../operations/operation-views.ts';
import { startSimulator, waitFor, type SimHarness } from '../test-support/sim-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.ts';
import { seededRecords, writeCases } from '../test-support/write-bodies.ts';

type Json = Record<string, unknown>;

let h: SimHarness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await startSimulator({ timeScale: 0.02, seedHistory: false });
  receiver = await startWebhookReceiver();
  await h.api('/v2/notifications/webhooks', { json: { url: receiver.url, event_name: 'resource_operation.*', secret: 'writes-test-secret' } });
});
afterAll(async () => {
  await Promise.all([h.close(), receiver.close()]);
});
beforeEach(async () => {
  await h.call('/_sim/reset', { method: 'POST' });
});

async function settled(op: Json): Promise<OperationRead> {
  return waitFor(
    async () => {
      const { body } = await h.api<OperationRead>(
        `/v2/integrations/connections/${String(op['connection_id'])}/resource-operations/${String(op['id'])}`,
      );
      return body.status === 'pending' ? undefined : body;
    },
    `operation ${String(op['id'])} to finish`,
  );
}

async function write(path: string, body: Json, method: 'POST' | 'PATCH' = 'POST', sync = false) {
  return h.api<Json>(`${path}${sync ? '?is_sync=true' : ''}`, { method, json: body });
}

describe('every write endpoint', () => {
  it('async: 202 pending, then success with the record ids, by webhook too', async () => {
    const northwind = await h.connection('Northwind Freight');
    for (const c of await writeCases(h, northwind.id)) {
      const accepted = await write(c.path, c.body, c.method);
      expect({ name: c.name, status: accepted.status, state: accepted.body['status'] }).toEqual({ name: c.name, status: 202, state: 'pending' });
      const done = await settled(accepted.body);
      expect({ name: c.name, status: done.status }).toEqual({ name: c.name, status: 'success' });
      expect(done.resource_id).toEqual(expect.any(String));
      expect(done.source_id).toEqual(expect.any(String));
      await waitFor(
        async () =>
          receiver.deliveries.some((d) => d.body.event_name === 'resource_operation.succeeded' && d.body.data[0]?.id === done.id) ? true : undefined,
        `${c.name} succeeded webhook`,
      );
    }
  });

  it('payloads carry the TSP ids Catena resolved; updates name their record from the start', async () => {
    const northwind = await h.connection('Northwind Freight');
    const { driver, vehicle, trailer, dispatcher } = await seededRecords(h, northwind.id);
    const cases = await writeCases(h, northwind.id);
    const byName = (name: string) => cases.find((c) => c.name === name) as (typeof cases)[number];
    const fuel = await write('/v2/telematics/fuel-transactions', byName('fuel transaction').body);
    expect(fuel.body['payload']).toMatchObject({ source_driver_id: driver['source_id'], source_vehicle_id: vehicle['source_id'] });
    const group = await write('/v2/telematics/group-messages', byName('group message').body);
    expect(group.body['payload']).toMatchObject({
      source_sender_id: dispatcher['source_id'],
      source_recipient_ids: [driver['source_id'], expect.any(String)],
    });
    const dvir = await write('/v2/telematics/dvir-logs', { ...byName('DVIR log').body, trailer_id: trailer['id'] });
    expect(dvir.body['payload']).toMatchObject({
      source_driver_id: driver['source_id'],
      source_vehicle_id: vehicle['source_id'],
      source_trailer_id: trailer['source_id'],
    });
    const update = await write(`/v2/telematics/vehicles/${String(vehicle['id'])}`, { connection_id: northwind.id, status: 'IN_REPAIR' }, 'PATCH');
    expect(update.body).toMatchObject({
      resource: 'vehicle',
      operation_type: 'update',
      resource_id: vehicle['id'],
      source_id: vehicle['source_id'],
      payload: { connection_id: northwind.id, status: 'IN_REPAIR' },
    });
  });

  it('a successful update changes the record; a failed one does not', async () => {
    const northwind = await h.connection('Northwind Freight');
    const { vehicle } = await seededRecords(h, northwind.id);
    const path = `/v2/telematics/vehicles/${String(vehicle['id'])}`;
    const ok = await write(path, { connection_id: northwind.id, status: 'IN_REPAIR', notes: 'Brakes' }, 'PATCH', true);
    expect(ok.status).toBe(200);
    expect((await h.api<Json>(path)).body).toMatchObject({ status: 'IN_REPAIR', notes: 'Brakes', vin: vehicle['vin'] });
    const bad = await write(path, { connection_id: northwind.id, vin: '1FTFW1E5OOPS', status: 'IN_SERVICE' }, 'PATCH', true);
    expect(bad.status).toBe(502);
    expect((await h.api<Json>(path)).body).toMatchObject({ status: 'IN_REPAIR', vin: vehicle['vin'] });
    // A create adds a record the reads list.
    const created = await write(
      '/v2/telematics/trailers',
      { connection_id: northwind.id, trailer_name: 'Trailer 77Z', license_plate_country: 'US' },
      'POST',
      true,
    );
    expect((await h.api<Json>(`/v2/telematics/trailers/${String(created.body['resource_id'])}`)).body).toMatchObject({
      trailer_name: 'Trailer 77Z',
      connection_id: northwind.id,
    });
    // Reset brings the seeded record back.
    await h.call('/_sim/reset', { method: 'POST' });
    expect((await h.api<Json>(path)).body['status']).toBe(vehicle['status']);
  });

  it('TSP-side refusals per resource name the field, with the TSP status code', async () => {
    const northwind = await h.connection('Northwind Freight');
    const blueRidge = await h.connection('Blue Ridge Logistics');
    const nw = await seededRecords(h, northwind.id);
    const retired = (await h.api<{ items: Json[] }>(`/v2/telematics/vehicles?connection_id=${northwind.id}`)).body.items.find(
      (v) => v['is_active'] === false,
    ) as Json;
    const failures: [string, Json, 'POST' | 'PATCH', string, number][] = [
      [
        `/v2/telematics/vehicles/${String(nw.vehicle['id'])}`,
        { connection_id: northwind.id, vin: '1FTFW1E5' },
        'PATCH',
        'vin: "1FTFW1E5" is not a valid VIN',
        422,
      ],
      [
        '/v2/telematics/trailers',
        { connection_id: northwind.id, trailer_name: 'T-1', license_plate_country: 'USA' },
        'POST',
        'license_plate_country: "USA" is not a two-letter country code',
        400,
      ],
      [
        `/v2/telematics/users/${String(nw.driver['id'])}`,
        { connection_id: northwind.id, license_number: String(nw.other['license_number']) },
        'PATCH',
        `license_number: ${String(nw.other['license_number'])} is already the licence of`,
        409,
      ],
      [
        '/v2/telematics/fuel-transactions',
        { connection_id: northwind.id, driver_id: nw.driver['id'], vehicle_id: retired['id'], fuel_volume: 80, fuel_volume_unit: 'US_GALLON' },
        'POST',
        'vehicle_id: Samsara has no active vehicle',
        404,
      ],
      [
        '/v2/telematics/dvir-logs',
        { connection_id: northwind.id, driver_id: nw.driver['id'], vehicle_id: nw.vehicle['id'], defects: ['horn'], defect_count: 3 },
        'POST',
        'defect_count: 3, but the DVIR lists 1 defect',
        422,
      ],
      [
        '/v2/telematics/vehicles',
        { connection_id: northwind.id, vehicle_name: String(nw.vehicle['vehicle_name']) },
        'POST',
        'vehicle_name: Samsara already has a vehicle named',
        409,
      ],
    ];
    for (const [path, body, method, details, code] of failures) {
      const result = await write(path, body, method, true);
      expect({ path, status: result.status }).toEqual({ path, status: 502 });
      const [log] = result.body['logs'] as Json[];
      expect(log).toMatchObject({ status: 'failed', error_type: 'validation', response_status_code: code });
      expect(String(log?.['error_details'])).toContain(details);
    }
    // Catena-side: an id it cannot resolve on that connection fails without a TSP call.
    const foreign = await seededRecords(h, blueRidge.id);
    const fuel = await write(
      '/v2/telematics/fuel-transactions',
      { connection_id: northwind.id, driver_id: nw.driver['id'], vehicle_id: foreign.vehicle['id'], fuel_volume: 80, fuel_volume_unit: 'LITER' },
      'POST',
      true,
    );
    expect(fuel.body['payload']).toMatchObject({ source_vehicle_id: null });
    expect((fuel.body['logs'] as Json[])[0]).toMatchObject({ error_type: 'validation', response_status_code: null });
    // An update of a record that is not on the connection is a 404 at once.
    const elsewhere = await write(
      `/v2/telematics/vehicles/${String(foreign.vehicle['id'])}`,
      { connection_id: northwind.id, status: 'SPARE' },
      'PATCH',
    );
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body['detail']).toMatch(/^Vehicle .* not found on connection/);
  });

  it('scenarios apply to every resource: an outage is retried, then heals when switched off', async () => {
    const prairie = await h.connection('Prairie Haulers');
    const { vehicle } = await seededRecords(h, prairie.id);
    const outage = await h.call<Json>('/_sim/scenarios', { method: 'POST', json: { scenario: 'outage', connection_id: prairie.id } });
    const accepted = await write(`/v2/telematics/vehicles/${String(vehicle['id'])}`, { connection_id: prairie.id, status: 'IN_REPAIR' }, 'PATCH');
    await waitFor(async () => {
      const { body } = await h.api<OperationRead>(`/v2/integrations/connections/${prairie.id}/resource-operations/${String(accepted.body['id'])}`);
      return body.logs.length >= 2 ? body : undefined;
    }, 'two failed attempts');
    await h.call(`/_sim/scenarios/${String(outage.body['id'])}`, { method: 'DELETE' });
    const done = await settled(accepted.body);
    expect(done.status).toBe('success');
    expect(done.logs.filter((l) => l.error_type === 'tsp').length).toBeGreaterThanOrEqual(2);
    const coastal = await h.connection('Coastal Carriers');
    const cc = await seededRecords(h, coastal.id);
    const auth = await write(
      `/v2/telematics/users/${String(cc.driver['id'])}`,
      { connection_id: coastal.id, phone_number: '+19125550100' },
      'PATCH',
      true,
    );
    expect((auth.body['logs'] as Json[])[0]).toMatchObject({ error_type: 'auth', response_status_code: 401 });
  });
});
