import type { AssetRecord, ConnectionRecord, UserRecord } from '../directory/directory-store.ts';
import { createPrng } from '../lib/prng.ts';
import { HOUR_MS, MINUTE_MS } from '../lib/time.ts';
import type { OperationRecord } from '../operations/operation-store.ts';
import { outcomes, type AttemptOutcome } from '../processing/attempt-outcomes.ts';
import { FIRST_BACKOFF_MS, MAX_ATTEMPTS } from '../processing/operation-processor.ts';
import { newMessageSourceId, tspProfile } from '../processing/tsp-profiles.ts';
import { catenaSideCheck, tspSideCheck } from '../processing/write-checks.ts';
import { resolvePayload } from '../writes/write-kinds.ts';
import { OperationStore } from '../operations/operation-store.ts';
import type { SeedWorld } from './seed-world.ts';

/**
 * The other writes of a partner's back end over the last day: vehicle, trailer and driver creates
 * and updates, group messages, fuel transactions and DVIR logs, mostly successes, with the
 * failures each resource really meets (a VIN the TSP rejects, a trailer plate country in the
 * wrong format, a licence number already taken, fuel for a retired vehicle, the Coastal Carriers
 * auth failures, the Geotab outage). Failure texts come from the live checks, so seed and live
 * processing say the same thing. Its own PRNG seed: the message history's ids did not move.
 *
 * Successful seeded updates write the values the records hold now (the last change to a record is
 * the one it shows); failed ones write what the TSP refused.
 */

type Plan =
  | 'vehicle_update'
  | 'vehicle_create'
  | 'vehicle_bad_vin'
  | 'trailer_update'
  | 'trailer_bad_country'
  | 'user_create'
  | 'user_licence_taken'
  | 'group_message'
  | 'fuel'
  | 'fuel_retired_vehicle'
  | 'dvir'
  | 'coastal_vehicle_auth'
  | 'outage_fuel';

const PLAN: readonly [Plan, number][] = [
  ['vehicle_update', 8],
  ['vehicle_create', 3],
  ['vehicle_bad_vin', 2],
  ['trailer_update', 4],
  ['trailer_bad_country', 2],
  ['user_create', 2],
  ['user_licence_taken', 2],
  ['group_message', 5],
  ['fuel', 10],
  ['fuel_retired_vehicle', 2],
  ['dvir', 8],
  ['coastal_vehicle_auth', 2],
  ['outage_fuel', 2],
];

const DEFECTS = ['tires', 'lights_front', 'brakes', 'mirrors', 'horn', 'windshield_wipers', 'air_lines', 'coupling_devices'] as const;
const VENDORS = ['Pilot #412', "Love's #288", 'TA Joliet', 'Flying J #655', 'Speedway 8812', "Casey's #3105"] as const;

export function buildRecordHistory(world: SeedWorld, startedAt: number): OperationRecord[] {
  const prng = createPrng('history:records');
  const { directory, partnerId, connectionIds } = world;
  const conn = (key: string): ConnectionRecord => {
    const found = directory.connection(connectionIds[key] ?? '');
    if (!found) throw new Error(`seed error: no connection ${key}`);
    return found;
  };
  const healthy = [conn('northwind'), conn('northwind'), conn('blue-ridge'), conn('prairie')];
  const noOperations = new OperationStore();
  const ops: OperationRecord[] = [];

  for (const [plan, count] of PLAN) {
    for (let i = 0; i < count; i++) {
      const connection = plan === 'coastal_vehicle_auth' ? conn('coastal') : plan === 'outage_fuel' ? conn('prairie') : prng.pick(healthy);
      const at =
        plan === 'outage_fuel'
          ? startedAt - prng.int(6 * HOUR_MS + 10 * MINUTE_MS, 6 * HOUR_MS + 50 * MINUTE_MS)
          : startedAt - prng.int(5 * MINUTE_MS, 23 * HOUR_MS + 40 * MINUTE_MS);
      ops.push(build(plan, connection, at));
    }
  }
  return ops;

  function build(plan: Plan, connection: ConnectionRecord, at: number): OperationRecord {
    const users = directory.usersOf(connection.id);
    const drivers = users.filter((u) => u.is_driver && u.is_active);
    const dispatcher = users.find((u) => !u.is_driver) as UserRecord;
    const vehicles = directory.assetsOf('vehicle', connection.id);
    const active = vehicles.filter((v) => v.attributes['is_active'] !== false);
    const retired = vehicles.find((v) => v.attributes['is_active'] === false) as AssetRecord;
    const trailers = directory.assetsOf('trailer', connection.id);
    const driver = prng.pick(drivers);
    const vehicle = prng.pick(active);
    const c = { connection_id: connection.id };
    switch (plan) {
      case 'vehicle_update':
      case 'coastal_vehicle_auth': {
        const field = prng.pick(['status', 'license_plate_number', 'notes', 'vehicle_name'] as const);
        return op(at, connection, 'vehicle', 'update', { ...c, [field]: vehicle.attributes[field] ?? 'Checked at the yard' }, vehicle);
      }
      case 'vehicle_bad_vin':
        // A VIN typed with an O for a 0 and one character short: the TSP refuses it.
        return op(
          at,
          connection,
          'vehicle',
          'update',
          { ...c, vin: `${String(vehicle.attributes['vin']).slice(0, 8)}O${String(vehicle.attributes['vin']).slice(9, 16)}` },
          vehicle,
        );
      case 'vehicle_create':
        return op(at, connection, 'vehicle', 'create', {
          ...c,
          vehicle_name: `Unit ${prng.int(8000, 8999)}`,
          oem: 'Freightliner',
          model_type: 'Cascadia',
          model_year: 2025,
          vin: `3AKJHHDR${prng.digits(1)}SSN${prng.digits(5)}`,
          license_plate_region: 'IL',
          license_plate_country: 'USA',
          license_plate_number: `${prng.digits(1)}NEW${prng.digits(3)}`,
          status: 'IN_SERVICE',
        });
      case 'trailer_update': {
        const trailer = prng.pick(trailers);
        return op(
          at,
          connection,
          'trailer',
          'update',
          { ...c, status: trailer.attributes['status'] ?? 'IN_SERVICE', license_plate_number: trailer.attributes['license_plate_number'] ?? null },
          trailer,
        );
      }
      case 'trailer_bad_country':
        return op(at, connection, 'trailer', 'create', {
          ...c,
          trailer_name: `Trailer ${prng.int(100, 999)}X`,
          oem: 'Wabash',
          trailer_type: 'DRY_VAN',
          license_plate_region: 'ON',
          license_plate_country: 'CAN',
          license_plate_number: `${prng.digits(3)}ZK${prng.digits(2)}`,
        });
      case 'user_create':
        return op(at, connection, 'user', 'create', {
          ...c,
          first_name: prng.pick(['Elena', 'Marcus', 'Tomasz', 'Aaliyah']),
          last_name: prng.pick(['Quintero', 'Lindqvist', 'Okonkwo', 'Baptiste']),
          is_driver: true,
          phone_number: `+1815${prng.digits(7)}`,
          license_number: `N${prng.digits(8)}`,
          license_region: 'IL',
        });
      case 'user_licence_taken': {
        const other = drivers.find((u) => u.id !== driver.id) as UserRecord;
        return op(at, connection, 'user', 'update', { ...c, license_number: other.license_number }, undefined, driver);
      }
      case 'group_message':
        return op(at, connection, 'group_message', 'create', {
          ...c,
          sender_id: dispatcher.id,
          recipient_ids: prng
            .shuffle(drivers)
            .slice(0, prng.int(3, 6))
            .map((u) => u.id),
          message_text: prng.pick([
            'Yard closes at 18:00 today.',
            'Severe weather on I-80 west of Joliet: check in before you leave.',
            'New fuel card PINs go out Monday.',
            'Safety meeting Thursday 7:00 at the terminal.',
          ]),
          priority: prng.pick(['low', 'medium', 'high']),
        });
      case 'fuel':
      case 'fuel_retired_vehicle':
      case 'outage_fuel':
        return op(at, connection, 'fuel_transaction', 'create', {
          ...c,
          driver_id: driver.id,
          vehicle_id: plan === 'fuel_retired_vehicle' ? retired.id : vehicle.id,
          fuel_volume: prng.int(600, 1600) / 10,
          fuel_volume_unit: 'US_GALLON',
          fuel_type: 'DIESEL',
          total_cost: (prng.int(2400, 6800) / 10).toFixed(2),
          currency: 'USD',
          fuel_vendor: prng.pick(VENDORS),
          transaction_time: new Date(at - prng.int(2, 40) * MINUTE_MS).toISOString(),
        });
      case 'dvir': {
        const defects = prng.chance(0.4) ? prng.shuffle(DEFECTS).slice(0, prng.int(1, 3)) : [];
        return op(at, connection, 'dvir_log', 'create', {
          ...c,
          driver_id: driver.id,
          vehicle_id: vehicle.id,
          ...(prng.chance(0.5) && trailers[0] && { trailer_id: prng.pick(trailers).id }),
          occurred_at: new Date(at - prng.int(1, 20) * MINUTE_MS).toISOString(),
          log_type: prng.pick(['pre_trip', 'post_trip']),
          inspected_by: `${driver.first_name} ${driver.last_name}`,
          defects,
          defect_count: defects.length,
          is_safety_critical: defects.includes('brakes'),
          driver_comment: defects.length ? `Reported: ${defects.join(', ').replaceAll('_', ' ')}` : null,
        });
      }
    }
  }

  function op(
    at: number,
    connection: ConnectionRecord,
    resource: 'vehicle' | 'trailer' | 'user' | 'group_message' | 'fuel_transaction' | 'dvir_log',
    operationType: 'create' | 'update',
    body: Record<string, unknown> & { connection_id: string },
    asset?: AssetRecord,
    user?: UserRecord,
  ): OperationRecord {
    const fleet = directory.fleetOf(connection);
    const record = asset ?? user;
    const result: OperationRecord = {
      id: prng.uuid(),
      partner_id: partnerId,
      connection_id: connection.id,
      fleet_id: fleet.id,
      fleet_ref: fleet.fleet_ref,
      source_name: connection.tsp,
      resource,
      operation_type: operationType,
      status: 'pending',
      payload: resolvePayload(resource, body, connection.id, { directory, operations: noOperations }),
      resource_id: record?.id ?? null,
      source_id: record?.source_id ?? null,
      created_at: at,
      updated_at: at,
      logs: [],
      origin: 'seed',
    };
    const profile = tspProfile(connection.tsp);
    let clock = at;
    const log = (outcome: AttemptOutcome) => {
      clock += Math.round(profile.latencyMs * (0.7 + prng.next() * 0.6));
      result.logs.push({ id: prng.uuid(), created_at: clock, updated_at: clock, ...outcome });
      result.updated_at = clock;
    };
    if (connection.id === connectionIds['coastal']) {
      log(outcomes.expiredCredentials(profile, prng));
      result.status = 'failed';
      return result;
    }
    if (
      resource === 'fuel_transaction' &&
      at < startedAt - 6 * HOUR_MS &&
      at > startedAt - 7 * HOUR_MS &&
      connection.id === connectionIds['prairie']
    ) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        log(outcomes.outage(profile, prng));
        clock += FIRST_BACKOFF_MS * 2 ** (attempt - 1);
      }
      result.status = 'failed';
      return result;
    }
    const refused = catenaSideCheck(result, connection, directory) ?? tspSideCheck(result, connection, directory, prng);
    if (refused) {
      log(refused);
      result.status = 'failed';
      return result;
    }
    log(outcomes.success(profile, prng));
    result.status = 'success';
    if (operationType === 'create') {
      result.resource_id = prng.uuid();
      result.source_id = newMessageSourceId(connection.tsp, prng);
    }
    return result;
  }
}
