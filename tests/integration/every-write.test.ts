import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionListSchema } from '../../contracts/directory-schemas.ts';
import {
  operationDetailSchema,
  operationFacetsSchema,
  operationFailuresSchema,
  operationPageSchema,
  operationRecordSchema,
  type OperationDetail,
} from '../../contracts/operation-schemas.ts';
import { seededRecords, writeCases } from '../../simulator/test-support/write-bodies.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { partnerSystem } from '../support/partner-system.ts';
import { scalarOf } from '../support/store-queries.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';

type Json = Record<string, unknown>;

let sim: RunningSimulator;
let consoleServer: RunningConsole;
let partner: ReturnType<typeof partnerSystem>;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, subscribe: true, reconcile: false });
  await consoleServer.subscribed;
  partner = partnerSystem(sim.url);
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});
afterEach(async () => {
  await sim.reset();
});

async function api<T>(path: string, parse: { parse: (data: unknown) => T }): Promise<T> {
  const response = await consoleServer.fetch(path);
  if (response.status !== 200) throw new Error(`${path} → ${response.status}: ${await response.text()}`);
  return parse.parse(await response.json());
}

async function connectionId(name: string): Promise<string> {
  const { items } = await api('/api/connections', connectionListSchema);
  const found = items.find((c) => c.name === name);
  if (!found) throw new Error(`no connection ${name}`);
  return found.id;
}

async function storedFinal(id: string): Promise<OperationDetail> {
  return eventually(async () => {
    const op = await api(`/api/operations/${id}`, operationDetailSchema);
    if (op.status === 'pending') throw new Error(`${id} still pending`);
    return op;
  });
}

const seenVia = (id: string) => scalarOf(consoleServer.database, sql`SELECT seen_via FROM operations WHERE id = ${id}`);

describe('every Catena write, made by another system, reaches the console', () => {
  it('async writes of every endpoint arrive by webhook with their resource, type and final state', async () => {
    const northwind = await connectionId('Northwind Freight');
    for (const write of await writeCases(partner, northwind)) {
      const accepted = await partner.api<Json>(write.path, { method: write.method, json: write.body });
      expect({ write: write.name, status: accepted.status }).toEqual({ write: write.name, status: 202 });
      const stored = await storedFinal(String(accepted.body['id']));
      expect(stored).toMatchObject({
        resource: write.resource,
        operation_type: write.operation_type,
        status: 'success',
        resource_id: expect.any(String),
        source_name: 'samsara',
      });
      expect(await seenVia(stored.id)).toBe('webhook');
    }
  });

  it('sync writes of every endpoint (no webhook in sync mode) reach the store through the reconciler', async () => {
    const northwind = await connectionId('Northwind Freight');
    const coastal = await connectionId('Coastal Carriers');
    const written: [string, string, string][] = [];
    for (const [connection, expected] of [
      [northwind, 'success'],
      [coastal, 'failed'],
    ] as const) {
      for (const write of await writeCases(partner, connection)) {
        const result = await partner.api<Json>(`${write.path}?is_sync=true`, { method: write.method, json: write.body });
        expect({ write: write.name, status: result.status }).toEqual({ write: write.name, status: expected === 'success' ? 200 : 502 });
        written.push([String(result.body['id']), write.resource, expected]);
      }
    }
    await consoleServer.reconciler.runOnce();
    for (const [id, resource, status] of written) {
      expect(await api(`/api/operations/${id}`, operationDetailSchema)).toMatchObject({ resource, status });
      expect(await seenVia(id)).toBe('reconciler');
    }
  });
});

describe('a failed vehicle update, as the drawer reads it', () => {
  it("names the field the TSP refused and the record's value before the update", async () => {
    const northwind = await connectionId('Northwind Freight');
    const { vehicle } = await seededRecords(partner, northwind);
    const path = `/v2/telematics/vehicles/${String(vehicle['id'])}`;
    const accepted = await partner.api<Json>(path, { method: 'PATCH', json: { connection_id: northwind, vin: '1FTFW1E5OOPS', status: 'IN_REPAIR' } });
    const failed = await storedFinal(String(accepted.body['id']));
    expect(failed).toMatchObject({ status: 'failed', last_error_type: 'validation', resource_id: vehicle['id'] });
    expect(failed.logs.at(-1)?.error_details).toMatch(/^vin: /);

    const record = await api(`/api/operations/${failed.id}/record`, operationRecordSchema);
    expect(record.record_before).toMatchObject({
      source: 'catena',
      fields: { vin: vehicle['vin'], status: vehicle['status'], vehicle_name: vehicle['vehicle_name'] },
    });
    expect(record.changes).toEqual([
      { field: 'vin', before: vehicle['vin'], after: '1FTFW1E5OOPS', before_known: true },
      { field: 'status', before: vehicle['status'], after: 'IN_REPAIR', before_known: true },
    ]);
    expect(record.names).toContainEqual({ id: vehicle['id'], kind: 'vehicle', name: vehicle['vehicle_name'] });
    expect(record.newer_update_id).toBeNull();

    // A newer update of the same record is found (and says so).
    const newer = await partner.api<Json>(`${path}?is_sync=true`, { method: 'PATCH', json: { connection_id: northwind, status: 'IN_SERVICE' } });
    await consoleServer.reconciler.runOnce();
    expect((await api(`/api/operations/${failed.id}/record`, operationRecordSchema)).newer_update_id).toBe(newer.body['id']);
  });
});

describe('search, facets and failures', () => {
  it("finds operations by a driver's or vehicle's name, by the first 8 characters of any id, and by field:value", async () => {
    const northwind = await connectionId('Northwind Freight');
    const { driver, vehicle } = await seededRecords(partner, northwind);
    const fuel = await partner.api<Json>('/v2/telematics/fuel-transactions?is_sync=true', {
      json: { connection_id: northwind, driver_id: driver['id'], vehicle_id: vehicle['id'], fuel_volume: 90, fuel_volume_unit: 'US_GALLON' },
    });
    const update = await partner.api<Json>(`/v2/telematics/vehicles/${String(vehicle['id'])}?is_sync=true`, {
      method: 'PATCH',
      json: { connection_id: northwind, license_plate_number: '7ABC123', vin: '2FTFW1E5XNFA29999' },
    });
    await consoleServer.reconciler.runOnce();
    const search = async (q: string) => (await api(`/api/operations?q=${encodeURIComponent(q)}`, operationPageSchema)).items.map((op) => op.id);

    expect(await search(`${String(driver['first_name'])} ${String(driver['last_name'])}`)).toContain(fuel.body['id']);
    expect(await search(String(vehicle['vehicle_name']))).toEqual(expect.arrayContaining([fuel.body['id'], update.body['id']]));
    expect(await search(String(fuel.body['id']).slice(0, 8))).toContain(fuel.body['id']);
    expect(await search(String(vehicle['id']).slice(0, 8))).toEqual(expect.arrayContaining([fuel.body['id'], update.body['id']]));
    expect(await search(String(vehicle['source_id']).slice(0, 8))).toContain(update.body['id']);
    expect(await search('vin:2FTFW1E5')).toEqual([update.body['id']]);
    expect(await search('license_plate_number:7abc123')).toEqual([update.body['id']]);
    expect(await search('vin:NOSUCHVIN')).toEqual([]);
  });

  it('facets list the resources and types that occur, with counts; failures count per connection and resource', async () => {
    const coastal = await connectionId('Coastal Carriers');
    const from = new Date().toISOString();
    for (const write of await writeCases(partner, coastal))
      await partner.api(`${write.path}?is_sync=true`, { method: write.method, json: write.body });
    await consoleServer.reconciler.runOnce();
    const facets = await api(`/api/operations/facets?connection_id=${coastal}&resource=vehicle&from=${from}`, operationFacetsSchema);
    expect(facets.resource).toEqual(
      expect.arrayContaining([
        { value: 'vehicle', count: 2 },
        { value: 'dvir_log', count: 1 },
        { value: 'group_message', count: 1 },
      ]),
    );
    expect(facets.operation_type).toEqual([
      { value: 'create', count: 1 },
      { value: 'update', count: 1 },
    ]);
    const failures = await api(`/api/operations/failures?from=${from}`, operationFailuresSchema);
    expect(failures.items).toEqual(
      expect.arrayContaining([
        { connection_id: coastal, resource: 'vehicle', failed: 2 },
        { connection_id: coastal, resource: 'fuel_transaction', failed: 1 },
      ]),
    );
  });
});
