import type { AssetRecord, AttributeValue, ConnectionRecord, Directory, UserRecord } from '../directory/directory-store.ts';
import { newId } from '../lib/ids.ts';
import type { Prng } from '../lib/prng.ts';
import type { OperationRecord } from '../operations/operation-store.ts';
import { newAssetSourceId } from '../seed/seed-assets.ts';
import { sourceDataFor } from '../seed/seed-world.ts';
import { isRecordKind } from '../writes/write-kinds.ts';
import { newMessageSourceId } from './tsp-profiles.ts';

/**
 * What a successful write changes: the operation gets its record's ids, and a vehicle, trailer or
 * user is created or changed in the directory, so reads show the new state (as Catena's would
 * after its next sync with the TSP).
 */
export function applySuccess(op: OperationRecord, connection: ConnectionRecord, directory: Directory, prng: Prng, now: number): void {
  if (op.operation_type === 'update') {
    if (op.resource_id) updateRecord(op, directory, now);
    return;
  }
  if (!isRecordKind(op.resource)) {
    op.resource_id = newId();
    op.source_id = newMessageSourceId(connection.tsp, prng);
    return;
  }
  const fleet = directory.fleetOf(connection);
  if (op.resource === 'user') {
    const user = newUser(op, connection, fleet.id, prng, now);
    directory.addUser(user);
    op.resource_id = user.id;
    op.source_id = user.source_id;
    return;
  }
  const asset: AssetRecord = {
    kind: op.resource,
    id: newId(),
    connection_id: connection.id,
    fleet_id: fleet.id,
    source_id: newAssetSourceId(connection.tsp, prng),
    created_at: now,
    updated_at: now,
    attributes: attributesOf(op.payload),
  };
  directory.addAsset(asset);
  op.resource_id = asset.id;
  op.source_id = asset.source_id;
}

function attributesOf(payload: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'connection_id') continue;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

/** UserUpdate fields the simulator's user record keeps. */
const USER_FIELDS = [
  'username',
  'user_email',
  'first_name',
  'last_name',
  'phone_number',
  'license_number',
  'license_region',
  'license_expiration',
  'employee_number',
  'notes',
] as const;

function updateRecord(op: OperationRecord, directory: Directory, now: number): void {
  const id = op.resource_id ?? '';
  if (op.resource === 'user') {
    const user = directory.user(id);
    if (!user) return;
    for (const field of USER_FIELDS) {
      const value = op.payload[field];
      if (typeof value === 'string') user[field] = value;
      else if (
        value === null &&
        field !== 'username' &&
        field !== 'first_name' &&
        field !== 'last_name' &&
        field !== 'phone_number' &&
        field !== 'employee_number'
      )
        user[field] = null;
    }
    if (typeof op.payload['is_active'] === 'boolean') user.is_active = op.payload['is_active'];
    if (op.payload['status'] === 'ACTIVE' || op.payload['status'] === 'INACTIVE') user.is_active = op.payload['status'] === 'ACTIVE';
    user.updated_at = now;
    return;
  }
  if (op.resource !== 'vehicle' && op.resource !== 'trailer') return;
  const asset = directory.asset(op.resource, id);
  if (!asset) return;
  Object.assign(asset.attributes, attributesOf(op.payload));
  asset.updated_at = now;
}

function newUser(op: OperationRecord, connection: ConnectionRecord, fleetId: string, prng: Prng, now: number): UserRecord {
  const p = op.payload;
  const str = (key: string): string | null => (typeof p[key] === 'string' ? (p[key] as string) : null);
  const first = str('first_name') ?? 'New';
  const last = str('last_name') ?? 'User';
  const isDriver = p['is_driver'] !== false;
  const partial: Omit<UserRecord, 'source_data'> = {
    id: newId(),
    connection_id: connection.id,
    fleet_id: fleetId,
    source_id: connection.tsp === 'geotab' ? `b${prng.hex(3).toUpperCase()}` : prng.digits(connection.tsp === 'samsara' ? 7 : 6),
    first_name: first,
    last_name: last,
    username: str('username') ?? `${first[0] ?? 'u'}${last}`.toLowerCase().replace(/[^a-z]/g, ''),
    user_email: str('user_email'),
    phone_number: str('phone_number') ?? '',
    is_driver: isDriver,
    is_active: p['is_active'] !== false && p['status'] !== 'INACTIVE',
    employee_number: str('employee_number') ?? '',
    license_number: str('license_number'),
    license_region: str('license_region'),
    license_expiration: str('license_expiration'),
    started_at: now,
    last_tsp_login: null,
    notes: str('notes'),
    created_at: now,
    updated_at: now,
  };
  return { ...partial, source_data: sourceDataFor(connection.tsp, partial, isDriver ? 'driver' : 'dispatcher') };
}
