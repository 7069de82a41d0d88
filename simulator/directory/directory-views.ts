import { createHash } from 'node:crypto';
import { isoTime } from '../lib/time.ts';
import type { AssetRecord, ConnectionRecord, FleetRecord, UserRecord } from './directory-store.ts';

/** SHA-256 of the TSP's raw record: Catena's `source_data_hash` (it uses it for dedup). */
function sourceDataHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** ConnectionRead. `fleet_ref` is in the schema (optional), so we send it. */
export function toConnectionRead(connection: ConnectionRecord, fleet: FleetRecord) {
  return {
    id: connection.id,
    created_at: isoTime(connection.created_at),
    updated_at: isoTime(connection.updated_at),
    fleet_id: connection.fleet_id,
    fleet_ref: fleet.fleet_ref,
    tsp_id: connection.tsp_id,
    source_name: connection.tsp,
    credentials: connection.credentials,
    status: connection.status,
    description: connection.description,
  };
}

/** FleetRead. */
export function toFleetRead(fleet: FleetRecord) {
  return {
    id: fleet.id,
    name: fleet.name,
    description: fleet.description,
    display_name: fleet.display_name,
    legal_name: fleet.legal_name,
    dba_name: fleet.dba_name,
    websites: fleet.websites,
    invitation_id: null,
    fleet_ref: fleet.fleet_ref,
    regulatory_id: fleet.regulatory_id,
    regulatory_id_type: fleet.regulatory_id_type,
    regulatory_id_date: fleet.regulatory_id_date,
    regulatory_id_status: fleet.regulatory_id_status,
    registered_email: fleet.registered_email,
    registered_phone: fleet.registered_phone,
    registered_fax: null,
    address: fleet.address,
    city: fleet.city,
    province: fleet.province,
    postal_code: fleet.postal_code,
    country_code: fleet.country_code,
    created_at: isoTime(fleet.created_at),
    updated_at: isoTime(fleet.updated_at),
  };
}

/**
 * UserRead with every documented field. `source_data` is the TSP's raw record only with
 * include_source_data=true (else `{}`); its hash is always there, as Catena uses it for dedup.
 */
export function toUserRead(user: UserRecord, connection: ConnectionRecord, fleet: FleetRecord, includeSourceData: boolean) {
  const companyAddress = `${fleet.address}, ${fleet.city}, ${fleet.province} ${fleet.postal_code}`;
  return {
    fleet_id: fleet.id,
    fleet_ref: fleet.fleet_ref,
    id: user.id,
    created_at: isoTime(user.created_at),
    updated_at: isoTime(user.updated_at),
    deleted_at: null,
    connection_id: connection.id,
    tsp_id: connection.tsp_id,
    tsp_slug: connection.tsp,
    source_name: connection.tsp,
    source_data: includeSourceData ? user.source_data : {},
    source_id: user.source_id,
    source_data_hash: sourceDataHash(user.source_data),
    occurred_at: isoTime(user.updated_at),
    execution_id: null,
    schedule_id: null,
    extras: null,
    username: user.username,
    started_at: isoTime(user.started_at),
    ended_at: user.is_active ? null : isoTime(user.updated_at),
    is_active: user.is_active,
    status: user.is_active ? 'ACTIVE' : 'INACTIVE',
    is_driver: user.is_driver,
    user_designation: user.is_driver ? 'Driver' : 'Dispatcher',
    user_email: user.user_email,
    first_name: user.first_name,
    last_name: user.last_name,
    phone_number: user.phone_number,
    country_code: 'USA',
    license_country: user.is_driver ? 'USA' : null,
    license_region: user.license_region,
    license_number: user.license_number,
    license_expiration: user.license_expiration,
    employee_number: user.employee_number,
    company_groups: null,
    private_user_groups: null,
    report_groups: null,
    security_groups: null,
    authority_name: fleet.legal_name,
    authority_address: companyAddress,
    company_name: fleet.legal_name,
    company_address: companyAddress,
    carrier_number: fleet.regulatory_id,
    last_tsp_login: user.last_tsp_login === null ? null : isoTime(user.last_tsp_login),
    notes: user.notes,
    hos_ruleset_code: null,
    allow_yard_move: user.is_driver ? true : null,
    allow_personal_conveyance: user.is_driver ? true : null,
    allow_adverse_driving: user.is_driver ? false : null,
    default_time_zone: null,
  };
}

/**
 * VehicleRead / TrailerRead. The excerpt has no read schema for them, so the read is Catena's
 * usual record metadata (as on UserRead) plus every field the create body lists, null when the
 * TSP has no value (decision 0104). `source_data` only with include_source_data=true.
 */
export function toAssetRead(
  asset: AssetRecord,
  fields: readonly string[],
  connection: ConnectionRecord,
  fleet: FleetRecord,
  includeSourceData: boolean,
) {
  const attributes = Object.fromEntries(fields.filter((f) => f !== 'connection_id').map((field) => [field, asset.attributes[field] ?? null]));
  const sourceData = { id: asset.source_id, ...attributes };
  return {
    id: asset.id,
    fleet_id: fleet.id,
    fleet_ref: fleet.fleet_ref,
    connection_id: connection.id,
    tsp_id: connection.tsp_id,
    tsp_slug: connection.tsp,
    source_name: connection.tsp,
    source_id: asset.source_id,
    source_data: includeSourceData ? sourceData : {},
    source_data_hash: sourceDataHash(sourceData),
    created_at: isoTime(asset.created_at),
    updated_at: isoTime(asset.updated_at),
    deleted_at: null,
    occurred_at: isoTime(asset.updated_at),
    ...attributes,
  };
}
