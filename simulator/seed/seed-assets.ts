import type { AssetRecord, AttributeValue, ConnectionRecord, FleetRecord } from '../directory/directory-store.ts';
import { createPrng, type Prng } from '../lib/prng.ts';
import { DAY_MS } from '../lib/time.ts';
import type { TspName } from '../processing/tsp-profiles.ts';

/**
 * Seeded vehicles and trailers per connection. Their own PRNG seeds (`vehicles:<fleet>`), so
 * adding them changed none of the seeded users' ids or names.
 */

const TRACTORS = [
  { oem: 'Freightliner', model: 'Cascadia', wmi: '3AKJHHDR', axles: 3 },
  { oem: 'Kenworth', model: 'T680', wmi: '1XKYD49X', axles: 3 },
  { oem: 'Peterbilt', model: '579', wmi: '1XPBD49X', axles: 3 },
  { oem: 'Volvo', model: 'VNL 860', wmi: '4V4NC9EH', axles: 3 },
  { oem: 'International', model: 'LT625', wmi: '3HSDZAPR', axles: 3 },
  { oem: 'Mack', model: 'Anthem', wmi: '1M1AN4GY', axles: 3 },
] as const;

const TRAILER_MAKERS = [
  { oem: 'Wabash', model: 'DuraPlate', type: 'DRY_VAN', length: 53 },
  { oem: 'Utility', model: '3000R', type: 'REEFER', length: 53 },
  { oem: 'Great Dane', model: 'Champion', type: 'DRY_VAN', length: 53 },
  { oem: 'Fontaine', model: 'Revolution', type: 'FLATBED', length: 48 },
  { oem: 'Hyundai Translead', model: 'HT CompositeLite', type: 'DRY_VAN', length: 53 },
] as const;

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

function vinTail(prng: Prng, length: number): string {
  return Array.from({ length }, () => VIN_CHARS[prng.int(0, VIN_CHARS.length - 1)]).join('');
}

function plate(prng: Prng): string {
  return `${prng.digits(1)}${String.fromCharCode(65 + prng.int(0, 22), 65 + prng.int(0, 22), 65 + prng.int(0, 22))}${prng.digits(3)}`;
}

/** A TSP's id for a vehicle or trailer (Catena's `source_id`). */
export function newAssetSourceId(tsp: TspName, random: { digits(n: number): string; hex(n: number): string }): string {
  switch (tsp) {
    case 'samsara':
      return `2814749${random.digits(8)}`;
    case 'motive':
      return random.digits(7);
    case 'geotab':
      return `b${random.hex(3).toUpperCase()}`;
  }
}

export interface AssetSeedSpec {
  key: string;
  tsp: TspName;
  state: string;
  vehicles: number;
  trailers: number;
}

const SEED_EPOCH = Date.parse('2025-03-03T15:00:00.000Z');

export function buildAssets(spec: AssetSeedSpec, connection: ConnectionRecord, fleet: FleetRecord): AssetRecord[] {
  const prng = createPrng(`vehicles:${spec.key}`);
  const used = new Set<string>();
  const sourceId = (): string => {
    for (;;) {
      const id = newAssetSourceId(spec.tsp, prng);
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  const assets: AssetRecord[] = [];
  const unitBase = prng.int(1, 8) * 1000;
  for (let i = 0; i < spec.vehicles; i++) {
    const model = prng.pick(TRACTORS);
    const createdAt = SEED_EPOCH + prng.int(0, 300) * DAY_MS + prng.int(0, 86_399) * 1000;
    // The last vehicle of a fleet is retired: still in Catena, gone from the TSP's active list.
    const retired = i === spec.vehicles - 1;
    const attributes: Record<string, AttributeValue> = {
      vehicle_name: `Unit ${unitBase + prng.int(1, 999)}`,
      oem: model.oem,
      model_type: model.model,
      model_year: prng.int(2018, 2025),
      vin: `${model.wmi}${vinTail(prng, 9)}`,
      license_plate_region: spec.state,
      license_plate_country: 'USA',
      license_plate_number: plate(prng),
      is_active: !retired,
      status: retired ? 'OUT_OF_SERVICE' : prng.pick(['IN_SERVICE', 'IN_SERVICE', 'IN_SERVICE', 'IN_USE', 'IN_REPAIR']),
      engine_type: 'DIESEL',
      total_axles: model.axles,
      fuel_unit: 'US_GALLON',
      fuel_capacity: `${prng.pick([150, 200, 240, 300])} gallons`,
      odometer_unit: 'miles',
      notes: retired ? 'Sold; kept in Catena for its history' : null,
    };
    assets.push(asset('vehicle', prng.uuid(), sourceId(), createdAt, attributes));
  }
  if (spec.key === 'northwind') {
    // A service pickup, so `vin:1FTFW1E5` and `license_plate_number:7ABC123` find something in a demo.
    assets.push(
      asset('vehicle', prng.uuid(), sourceId(), SEED_EPOCH + 40 * DAY_MS, {
        vehicle_name: 'Service Truck 2',
        oem: 'Ford',
        model_type: 'F-150',
        model_year: 2022,
        vin: '1FTFW1E5XNFA21734',
        license_plate_region: 'CA',
        license_plate_country: 'USA',
        license_plate_number: '7ABC123',
        is_active: true,
        status: 'IN_SERVICE',
        engine_type: 'GASOLINE',
        total_axles: 2,
        fuel_unit: 'US_GALLON',
        fuel_capacity: '26 gallons',
        odometer_unit: 'miles',
        notes: 'Yard and road-service pickup',
      }),
    );
  }
  for (let i = 0; i < spec.trailers; i++) {
    const maker = prng.pick(TRAILER_MAKERS);
    const createdAt = SEED_EPOCH + prng.int(0, 300) * DAY_MS + prng.int(0, 86_399) * 1000;
    const attributes: Record<string, AttributeValue> = {
      trailer_name: `Trailer ${prng.int(100, 999)}${String.fromCharCode(65 + i)}`,
      oem: maker.oem,
      model_type: maker.model,
      model_year: prng.int(2015, 2024),
      vin: `1JJV532D${vinTail(prng, 9)}`,
      license_plate_region: spec.state,
      license_plate_country: 'US',
      license_plate_number: `${prng.digits(3)}${String.fromCharCode(65 + prng.int(0, 22), 65 + prng.int(0, 22))}${prng.digits(2)}`,
      is_active: true,
      status: 'IN_SERVICE',
      total_axles: 2,
      trailer_length: maker.length,
      trailer_type: maker.type,
      notes: null,
    };
    assets.push(asset('trailer', prng.uuid(), sourceId(), createdAt, attributes));
  }
  return assets;

  function asset(
    kind: 'vehicle' | 'trailer',
    id: string,
    source: string,
    createdAt: number,
    attributes: Record<string, AttributeValue>,
  ): AssetRecord {
    return {
      kind,
      id,
      connection_id: connection.id,
      fleet_id: fleet.id,
      source_id: source,
      created_at: createdAt,
      updated_at: createdAt + prng.int(1, 90) * DAY_MS,
      attributes,
    };
  }
}
