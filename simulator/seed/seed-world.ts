import { createPrng, type Prng } from '../lib/prng.ts';
import { DAY_MS, isoTime } from '../lib/time.ts';
import type { AssetRecord, ConnectionRecord, ConnectionStatus, FleetRecord, UserRecord } from '../directory/directory-store.ts';
import { Directory } from '../directory/directory-store.ts';
import type { TspName } from '../processing/tsp-profiles.ts';
import { buildAssets } from './seed-assets.ts';
import { FIRST_NAMES, LAST_NAMES } from './seed-names.ts';

/**
 * The seeded world. Everything comes from fixed PRNG seeds, so ids and names are the same on every
 * start; only operation history is placed relative to the start time (seed-history.ts).
 */

/** The one partner this simulator serves (the console's Catena client). */
export const PARTNER_ID = createPrng('partner').uuid();

/** Catena's TSP ids (tsp_id): one per TSP, fixed. */
export const TSP_IDS: Record<TspName, string> = {
  samsara: createPrng('tsp:samsara').uuid(),
  motive: createPrng('tsp:motive').uuid(),
  geotab: createPrng('tsp:geotab').uuid(),
};

interface FleetSpec {
  key: string;
  name: string;
  legal: string;
  dba: string | null;
  ref: string;
  tsp: TspName;
  status: ConnectionStatus;
  connectionDescription: string;
  description: string;
  domain: string;
  city: string;
  state: string;
  postal: string;
  address: string;
  area: string;
  drivers: number;
  dispatchers: number;
  inactiveDrivers: number;
}

const FLEET_SPECS: readonly FleetSpec[] = [
  {
    key: 'northwind',
    name: 'Northwind Freight',
    legal: 'Northwind Freight LLC',
    dba: null,
    ref: 'NWF-1042',
    tsp: 'samsara',
    status: 'active',
    connectionDescription: 'Samsara — Northwind Freight main account',
    description: 'Dry van and reefer carrier serving the Great Lakes region',
    domain: 'northwindfreight.com',
    city: 'Joliet',
    state: 'IL',
    postal: '60436',
    address: '2200 Channahon Rd',
    area: '815',
    drivers: 14,
    dispatchers: 2,
    inactiveDrivers: 1,
  },
  {
    key: 'blue-ridge',
    name: 'Blue Ridge Logistics',
    legal: 'Blue Ridge Logistics Inc.',
    dba: 'Blue Ridge',
    ref: 'BRL-2217',
    tsp: 'motive',
    status: 'active',
    connectionDescription: 'Motive — Blue Ridge Logistics',
    description: 'Regional flatbed and LTL carrier in the Mid-Atlantic',
    domain: 'blueridgelogistics.com',
    city: 'Roanoke',
    state: 'VA',
    postal: '24012',
    address: '4410 Shenandoah Ave NW',
    area: '540',
    drivers: 11,
    dispatchers: 1,
    inactiveDrivers: 1,
  },
  {
    key: 'prairie',
    name: 'Prairie Haulers',
    legal: 'Prairie Haulers Co.',
    dba: null,
    ref: 'PRH-0388',
    tsp: 'geotab',
    status: 'active',
    connectionDescription: 'Geotab — Prairie Haulers (database prairie_haulers)',
    description: 'Grain and bulk commodity hauling across the Plains',
    domain: 'prairiehaulers.com',
    city: 'Wichita',
    state: 'KS',
    postal: '67219',
    address: '3901 N Hydraulic St',
    area: '316',
    drivers: 11,
    dispatchers: 2,
    inactiveDrivers: 1,
  },
  {
    key: 'coastal',
    name: 'Coastal Carriers',
    legal: 'Coastal Carriers of Georgia LLC',
    dba: 'Coastal Carriers',
    ref: 'CCX-5120',
    tsp: 'samsara',
    status: 'active',
    connectionDescription:
      'Samsara — Coastal Carriers. The fleet revoked our Samsara API token during an admin change; writes fail with auth until the fleet re-authorises the connection',
    description: 'Port drayage and intermodal out of Savannah',
    domain: 'coastalcarriers.com',
    city: 'Savannah',
    state: 'GA',
    postal: '31408',
    address: '100 Brampton Rd',
    area: '912',
    drivers: 9,
    dispatchers: 1,
    inactiveDrivers: 0,
  },
  {
    key: 'summit',
    name: 'Summit Transport',
    legal: 'Summit Transport Group LLC',
    dba: null,
    ref: 'SMT-7763',
    tsp: 'motive',
    status: 'paused',
    connectionDescription: 'Motive — Summit Transport (paused by the fleet during its ELD migration)',
    description: 'Mountain West temperature-controlled carrier',
    domain: 'summittransport.com',
    city: 'Denver',
    state: 'CO',
    postal: '80216',
    address: '5151 Bannock St',
    area: '303',
    drivers: 8,
    dispatchers: 1,
    inactiveDrivers: 0,
  },
];

/**
 * An optional sixth fleet with as many drivers as asked (off unless `largeFleetDrivers` is set):
 * for broadcasts to a thousand drivers in benchmarks and demos of scale.
 */
const LARGE_FLEET_SPEC: FleetSpec = {
  key: 'continental',
  name: 'Continental Express',
  legal: 'Continental Express Lines Inc.',
  dba: null,
  ref: 'CEX-9001',
  tsp: 'samsara',
  status: 'active',
  connectionDescription: 'Samsara — Continental Express (national fleet)',
  description: 'National truckload carrier with terminals coast to coast',
  domain: 'continentalexpress.com',
  city: 'Memphis',
  state: 'TN',
  postal: '38118',
  address: '3800 Lamar Ave',
  area: '901',
  drivers: 0,
  dispatchers: 2,
  inactiveDrivers: 0,
};
export const LARGE_FLEET_DRIVERS_MAX = 3000;

/** Seed ids, exported so tests and the README can name them. */
export function seedIdFor(kind: 'fleet' | 'connection', key: string): string {
  return createPrng(`${kind}:${key}`).uuid();
}

/** A fixed epoch for seeded records (not relative to start: they were created long ago). */
const SEED_EPOCH = Date.parse('2025-03-03T15:00:00.000Z');

function maskedCredentials(tsp: TspName, spec: FleetSpec): Record<string, string | null> {
  // Shapes from SamsaraCreds-Output / MotiveCreds-Output / GeotabCreds-Output; secrets masked as Catena does.
  switch (tsp) {
    case 'samsara':
      return { client_id: '*****', client_secret: '*****', auth_code: '*****' };
    case 'motive':
      return {
        client_id: '*****',
        client_secret: '*****',
        auth_code: '*****',
        redirect_uri: 'https://connect.catenatelematics.com/oauth/motive/callback',
      };
    case 'geotab':
      // The database name is not a secret (it names the Geotab tenant), so it stays readable.
      return { username: '*****', password: '*****', database: spec.name.toLowerCase().replace(/\s+/g, '_'), session_id: null };
  }
}

function userSourceId(tsp: TspName, prng: Prng, used: Set<string>): string {
  for (;;) {
    const id = tsp === 'samsara' ? prng.digits(7) : tsp === 'motive' ? prng.digits(6) : `b${prng.hex(3).toUpperCase()}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

export function sourceDataFor(tsp: TspName, u: Omit<UserRecord, 'source_data'>, role: 'driver' | 'dispatcher'): Record<string, unknown> {
  const name = `${u.first_name} ${u.last_name}`;
  switch (tsp) {
    case 'samsara':
      return {
        id: u.source_id,
        name,
        username: u.username,
        phone: u.phone_number,
        licenseNumber: u.license_number,
        licenseState: u.license_region,
        driverActivationStatus: u.is_active ? 'active' : 'deactivated',
        eldSettings: {
          rulesets: [
            { cycle: 'USA 70 hour / 8 day', shift: 'US Interstate Property', restart: '34-hour Restart', break: 'Property (on-duty/off-duty)' },
          ],
        },
        tags: [{ id: '4815', name: role === 'driver' ? 'Drivers' : 'Dispatch' }],
        createdAtTime: isoTime(u.created_at),
        updatedAtTime: isoTime(u.updated_at),
      };
    case 'motive':
      return {
        user: {
          id: Number(u.source_id),
          email: u.user_email,
          first_name: u.first_name,
          last_name: u.last_name,
          phone: u.phone_number,
          role: role === 'driver' ? 'driver' : 'fleet_user',
          status: u.is_active ? 'active' : 'deactivated',
          username: u.username,
          driver_company_id: u.employee_number,
          drivers_license_number: u.license_number,
          drivers_license_state: u.license_region?.toLowerCase() ?? null,
          cycle: '70_8',
          time_zone: 'Eastern Time (US & Canada)',
          created_at: isoTime(u.created_at),
          updated_at: isoTime(u.updated_at),
        },
      };
    case 'geotab':
      return {
        id: u.source_id,
        name: u.username,
        firstName: u.first_name,
        lastName: u.last_name,
        isDriver: u.is_driver,
        employeeNo: u.employee_number,
        licenseNumber: u.license_number ?? '',
        licenseProvince: u.license_region ?? '',
        phoneNumber: u.phone_number,
        activeFrom: isoTime(u.started_at),
        activeTo: u.is_active ? '2050-01-01T00:00:00.000Z' : isoTime(u.updated_at),
        userAuthenticationType: 'BasicAuthentication',
      };
  }
}

function buildUsers(spec: FleetSpec, connection: ConnectionRecord, fleet: FleetRecord, usedNames: Set<string>): UserRecord[] {
  const prng = createPrng(`users:${spec.key}`);
  const usedSourceIds = new Set<string>();
  const users: UserRecord[] = [];
  const roles: ('driver' | 'dispatcher')[] = [
    ...Array.from({ length: spec.dispatchers }, () => 'dispatcher' as const),
    ...Array.from({ length: spec.drivers }, () => 'driver' as const),
  ];
  let driverIndex = 0;
  for (const role of roles) {
    let first: string;
    let last: string;
    do {
      first = prng.pick(FIRST_NAMES);
      last = prng.pick(LAST_NAMES);
    } while (usedNames.has(`${first} ${last}`));
    usedNames.add(`${first} ${last}`);
    const isDriver = role === 'driver';
    if (isDriver) driverIndex++;
    // The last drivers of a fleet are the inactive ones (they left the company).
    const isActive = !isDriver || driverIndex <= spec.drivers - spec.inactiveDrivers;
    const createdAt = SEED_EPOCH + prng.int(0, 400) * DAY_MS + prng.int(0, 86_399) * 1000;
    const updatedAt = createdAt + prng.int(1, 120) * DAY_MS;
    const handle = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    const username =
      spec.tsp === 'geotab'
        ? `${handle}@${spec.domain}`
        : isDriver
          ? `${first[0]}${last}`.toLowerCase().replace(/[^a-z]/g, '') + prng.digits(2)
          : handle;
    const partial: Omit<UserRecord, 'source_data'> = {
      id: prng.uuid(),
      connection_id: connection.id,
      fleet_id: fleet.id,
      source_id: userSourceId(spec.tsp, prng, usedSourceIds),
      first_name: first,
      last_name: last,
      username,
      user_email: isDriver && prng.chance(0.5) ? null : `${handle}@${spec.domain}`,
      phone_number: `+1${spec.area}${prng.digits(7)}`,
      is_driver: isDriver,
      is_active: isActive,
      employee_number: `${spec.ref.slice(0, 3)}${prng.digits(4)}`,
      license_number: isDriver ? `${spec.state[0]}${prng.digits(8)}` : null,
      license_region: isDriver ? spec.state : null,
      license_expiration: isDriver
        ? `${prng.int(2027, 2030)}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}`
        : null,
      started_at: createdAt - prng.int(10, 2000) * DAY_MS,
      last_tsp_login: isActive ? updatedAt + prng.int(1, 30) * DAY_MS : null,
      notes: isActive ? null : 'Left the company; account deactivated at the TSP',
      created_at: createdAt,
      updated_at: updatedAt,
    };
    users.push({ ...partial, source_data: sourceDataFor(spec.tsp, partial, role) });
  }
  return users;
}

export interface SeedWorld {
  directory: Directory;
  partnerId: string;
  /** Connection keys → ids, for scenarios and history. */
  connectionIds: Record<string, string>;
}

export function buildSeedWorld(options: { largeFleetDrivers?: number } = {}): SeedWorld {
  const large = Math.min(options.largeFleetDrivers ?? 0, LARGE_FLEET_DRIVERS_MAX);
  const specs = large > 0 ? [...FLEET_SPECS, { ...LARGE_FLEET_SPEC, drivers: large }] : FLEET_SPECS;
  const fleets: FleetRecord[] = [];
  const connections: ConnectionRecord[] = [];
  const users: UserRecord[] = [];
  const assets: AssetRecord[] = [];
  const usedNames = new Set<string>();
  const connectionIds: Record<string, string> = {};
  specs.forEach((spec, index) => {
    const prng = createPrng(`fleet-details:${spec.key}`);
    const createdAt = SEED_EPOCH - (FLEET_SPECS.length - index) * 17 * DAY_MS;
    const fleet: FleetRecord = {
      id: seedIdFor('fleet', spec.key),
      name: spec.legal,
      display_name: spec.name,
      legal_name: spec.legal,
      dba_name: spec.dba,
      description: spec.description,
      fleet_ref: spec.ref,
      websites: [`https://${spec.domain}`],
      regulatory_id: prng.digits(7),
      regulatory_id_type: 'DOT',
      regulatory_id_date: `${prng.int(2004, 2019)}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}`,
      regulatory_id_status: 'ACTIVE',
      registered_email: `dispatch@${spec.domain}`,
      registered_phone: `+1${spec.area}${prng.digits(7)}`,
      address: spec.address,
      city: spec.city,
      province: spec.state,
      postal_code: spec.postal,
      country_code: 'USA',
      created_at: createdAt,
      updated_at: createdAt + 3 * DAY_MS,
    };
    const connection: ConnectionRecord = {
      id: seedIdFor('connection', spec.key),
      fleet_id: fleet.id,
      tsp: spec.tsp,
      tsp_id: TSP_IDS[spec.tsp],
      status: spec.status,
      description: spec.connectionDescription,
      credentials: maskedCredentials(spec.tsp, spec),
      created_at: createdAt + DAY_MS,
      updated_at: createdAt + (spec.status === 'paused' ? 200 : 5) * DAY_MS,
    };
    connectionIds[spec.key] = connection.id;
    fleets.push(fleet);
    connections.push(connection);
    users.push(...buildUsers(spec, connection, fleet, usedNames));
    const vehicles = Math.max(3, Math.min(10, Math.round(spec.drivers * 0.7)));
    assets.push(...buildAssets({ key: spec.key, tsp: spec.tsp, state: spec.state, vehicles, trailers: Math.ceil(vehicles / 2) }, connection, fleet));
  });
  return { directory: new Directory(fleets, connections, users, assets), partnerId: PARTNER_ID, connectionIds };
}

/** The seeded `expired_credentials` scenario on Coastal Carriers (same id on every start). */
export const SEEDED_SCENARIO_ID = createPrng('scenario:coastal-expired-credentials').uuid();
