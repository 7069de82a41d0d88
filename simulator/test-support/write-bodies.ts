import type { SimHarness } from './sim-harness.ts';

type Json = Record<string, unknown>;
type Page = { items: Json[] };

/** One valid request per Catena write endpoint, on one connection, built from its seeded records. */
export interface WriteCase {
  name: string;
  method: 'POST' | 'PATCH';
  path: string;
  /** The excerpt's body schema. */
  schema: string;
  resource: string;
  operation_type: 'create' | 'update';
  body: Json;
}

export async function seededRecords(h: Pick<SimHarness, 'api'>, connectionId: string) {
  const list = async (what: string) => (await h.api<Page>(`/v2/telematics/${what}?connection_id=${connectionId}&size=1000`)).body.items;
  const users = await list('users');
  const vehicles = (await list('vehicles')).filter((v) => v['is_active'] === true);
  const trailers = await list('trailers');
  const drivers = users.filter((u) => u['is_driver'] === true && u['is_active'] === true);
  const dispatcher = users.find((u) => u['is_driver'] === false);
  const [driver, other] = drivers;
  const [vehicle] = vehicles;
  const [trailer] = trailers;
  if (!dispatcher || !driver || !other || !vehicle || !trailer) throw new Error(`connection ${connectionId} lacks seeded records`);
  return { users, drivers, dispatcher, driver, other, vehicle, trailer, vehicles, trailers };
}

export async function writeCases(h: Pick<SimHarness, 'api'>, connectionId: string): Promise<WriteCase[]> {
  const { dispatcher, driver, other, vehicle, trailer } = await seededRecords(h, connectionId);
  const id = (record: Json) => String(record['id']);
  const c = { connection_id: connectionId };
  const unique = Math.floor(Math.random() * 1e6)
    .toString()
    .padStart(6, '0');
  return [
    {
      name: 'message',
      method: 'POST',
      path: '/v2/telematics/messages',
      schema: 'MessageCreate',
      resource: 'message',
      operation_type: 'create',
      body: { ...c, sender_id: id(dispatcher), recipient_id: id(driver), message_text: 'Dock 4 is free', priority: 'low' },
    },
    {
      name: 'group message',
      method: 'POST',
      path: '/v2/telematics/group-messages',
      schema: 'GroupMessageCreate',
      resource: 'group_message',
      operation_type: 'create',
      body: {
        ...c,
        sender_id: id(dispatcher),
        recipient_ids: [id(driver), id(other)],
        message_text: 'Yard closes at 18:00 today',
        priority: 'medium',
      },
    },
    {
      name: 'fuel transaction',
      method: 'POST',
      path: '/v2/telematics/fuel-transactions',
      schema: 'FuelTransactionCreate',
      resource: 'fuel_transaction',
      operation_type: 'create',
      body: {
        ...c,
        driver_id: id(driver),
        vehicle_id: id(vehicle),
        fuel_volume: 112.4,
        fuel_volume_unit: 'US_GALLON',
        fuel_type: 'DIESEL',
        total_cost: '431.62',
        currency: 'USD',
        fuel_vendor: 'Pilot #412',
        transaction_time: new Date().toISOString(),
      },
    },
    {
      name: 'DVIR log',
      method: 'POST',
      path: '/v2/telematics/dvir-logs',
      schema: 'DvirLogCreate',
      resource: 'dvir_log',
      operation_type: 'create',
      body: {
        ...c,
        driver_id: id(driver),
        vehicle_id: id(vehicle),
        log_type: 'pre_trip',
        defects: ['tires', 'lights_front'],
        defect_count: 2,
        is_safety_critical: false,
        driver_comment: 'Left front tire low',
      },
    },
    {
      name: 'vehicle create',
      method: 'POST',
      path: '/v2/telematics/vehicles',
      schema: 'VehicleCreate',
      resource: 'vehicle',
      operation_type: 'create',
      body: {
        ...c,
        vehicle_name: `Unit 9${unique}`,
        oem: 'Kenworth',
        model_type: 'T680',
        model_year: 2024,
        vin: `1XKYD49X0RJ${unique}`,
        license_plate_region: 'IL',
        license_plate_country: 'USA',
        license_plate_number: `P${unique}`,
        status: 'IN_SERVICE',
      },
    },
    {
      name: 'vehicle update',
      method: 'PATCH',
      path: `/v2/telematics/vehicles/${id(vehicle)}`,
      schema: 'VehicleUpdate',
      resource: 'vehicle',
      operation_type: 'update',
      body: { ...c, status: 'IN_REPAIR', notes: 'Brake job at the Joliet shop' },
    },
    {
      name: 'trailer create',
      method: 'POST',
      path: '/v2/telematics/trailers',
      schema: 'TrailerCreate',
      resource: 'trailer',
      operation_type: 'create',
      body: {
        ...c,
        trailer_name: `Trailer T${unique}`,
        oem: 'Wabash',
        trailer_type: 'DRY_VAN',
        trailer_length: 53,
        license_plate_country: 'US',
        license_plate_number: `T${unique}`,
      },
    },
    {
      name: 'trailer update',
      method: 'PATCH',
      path: `/v2/telematics/trailers/${id(trailer)}`,
      schema: 'TrailerUpdate',
      resource: 'trailer',
      operation_type: 'update',
      body: { ...c, status: 'OUT_OF_SERVICE' },
    },
    {
      name: 'user create',
      method: 'POST',
      path: '/v2/telematics/users',
      schema: 'UserCreate',
      resource: 'user',
      operation_type: 'create',
      body: {
        ...c,
        first_name: 'Rosa',
        last_name: `Quintana${unique}`,
        is_driver: true,
        phone_number: '+18155550142',
        license_number: `Q${unique}55`,
        license_region: 'IL',
        license_country: 'USA',
      },
    },
    {
      name: 'user update',
      method: 'PATCH',
      path: `/v2/telematics/users/${id(driver)}`,
      schema: 'UserUpdate',
      resource: 'user',
      operation_type: 'update',
      body: { ...c, phone_number: '+18155550199' },
    },
  ];
}
