import type { AssetRecord, ConnectionRecord, Directory } from '../directory/directory-store.ts';
import type { Prng } from '../lib/prng.ts';
import type { OperationRecord } from '../operations/operation-store.ts';
import { isRecordKind, sourceIdOf, type RecordKind } from '../writes/write-kinds.ts';
import { outcomes, type AttemptOutcome } from './attempt-outcomes.ts';
import { catenaSideCheck as messageCatenaSide, tspSideCheck as messageTspSide } from './message-checks.ts';
import { tspProfile, type TspProfile } from './tsp-profiles.ts';

/**
 * What fails a write of each resource, besides the scenarios (which apply to every resource):
 * Catena-side checks (an id it cannot resolve; no TSP call, no status code) and TSP-side refusals
 * (the TSP's own rules, with its status code). Details start with the field they name.
 */

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
/** ISO 3779: 17 characters, no I, O or Q. */
const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

function unresolvedId(
  op: OperationRecord,
  connection: ConnectionRecord,
  directory: Directory,
  field: string,
  kind: RecordKind,
  required: boolean,
): AttemptOutcome | null {
  const id = op.payload[field];
  if (id === undefined || id === null) return required ? outcomes.invalid(`${field}: missing; the TSP needs a ${kind}`) : null;
  if (sourceIdOf(directory, kind, id, connection.id) !== undefined) return null;
  return outcomes.unresolved(field, kind, String(id), connection, `source_${field}`);
}

export function catenaSideCheck(op: OperationRecord, connection: ConnectionRecord, directory: Directory): AttemptOutcome | null {
  const check = (field: string, kind: RecordKind, required = true) => unresolvedId(op, connection, directory, field, kind, required);
  switch (op.resource) {
    case 'message':
      return messageCatenaSide(op, connection, directory);
    case 'group_message': {
      const sender = check('sender_id', 'user');
      if (sender) return sender;
      const recipients = Array.isArray(op.payload['recipient_ids']) ? (op.payload['recipient_ids'] as unknown[]) : [];
      if (recipients.length === 0) return outcomes.invalid('recipient_ids: the list is empty; a group message needs at least one recipient');
      const unknown = recipients.find((id) => sourceIdOf(directory, 'user', id, connection.id) === undefined);
      if (unknown !== undefined) return outcomes.unresolved('recipient_ids', 'user', String(unknown), connection, 'source_recipient_ids');
      const message = text(op.payload['message_text']);
      if (message === null || message.trim() === '') return outcomes.missingText();
      return null;
    }
    case 'fuel_transaction':
      return check('driver_id', 'user') ?? check('vehicle_id', 'vehicle') ?? check('co_driver_id', 'user', false);
    case 'dvir_log':
      return check('driver_id', 'user') ?? check('vehicle_id', 'vehicle', false) ?? check('trailer_id', 'trailer', false);
    default:
      return null;
  }
}

export function tspSideCheck(op: OperationRecord, connection: ConnectionRecord, directory: Directory, prng: Prng): AttemptOutcome | null {
  const profile = tspProfile(connection.tsp);
  const reject = (status: number, details: string) => outcomes.rejected(status, details, prng);
  const p = op.payload;
  switch (op.resource) {
    case 'message':
      return messageTspSide(op, connection, directory, prng);
    case 'group_message': {
      const length = [...(text(p['message_text']) ?? '')].length;
      if (length > profile.maxMessageChars) return outcomes.tooLong(profile, length, prng);
      const recipients = (Array.isArray(p['recipient_ids']) ? (p['recipient_ids'] as unknown[]) : []).map((id) =>
        directory.userOfConnection(String(id), connection.id),
      );
      const inactive = recipients.find((user) => user && !user.is_active);
      if (inactive) {
        return reject(
          422,
          `recipient_ids: ${inactive.first_name} ${inactive.last_name} (${profile.label} user ${inactive.source_id}) is deactivated at ${profile.label}; group messages to inactive drivers are rejected`,
        );
      }
      return null;
    }
    case 'fuel_transaction': {
      const vehicle = directory.assetOfConnection('vehicle', String(p['vehicle_id']), connection.id);
      if (vehicle && vehicle.attributes['is_active'] === false) {
        return reject(
          404,
          `vehicle_id: ${profile.label} has no active vehicle ${vehicle.source_id} (${String(vehicle.attributes['vehicle_name'])} is retired at ${profile.label}); a fuel transaction needs a vehicle the TSP knows`,
        );
      }
      if (typeof p['fuel_volume'] === 'number' && p['fuel_volume'] <= 0) {
        return reject(422, `fuel_volume: ${p['fuel_volume']} is not a volume; ${profile.label} takes only volumes above 0`);
      }
      return null;
    }
    case 'dvir_log': {
      if (p['vehicle_id'] == null && p['trailer_id'] == null) {
        return reject(400, `vehicle_id: ${profile.label} needs the vehicle or the trailer that was inspected; the DVIR names neither`);
      }
      const defects = Array.isArray(p['defects']) ? p['defects'].length : null;
      if (typeof p['defect_count'] === 'number' && defects !== null && p['defect_count'] !== defects) {
        return reject(
          422,
          `defect_count: ${p['defect_count']}, but the DVIR lists ${defects} defect${defects === 1 ? '' : 's'}; ${profile.label} needs them to agree`,
        );
      }
      return null;
    }
    default:
      return isRecordKind(op.resource) ? recordCheck(op, op.resource, connection, directory, profile, reject) : null;
  }
}

function recordCheck(
  op: OperationRecord,
  kind: RecordKind,
  connection: ConnectionRecord,
  directory: Directory,
  profile: TspProfile,
  reject: (status: number, details: string) => AttemptOutcome,
): AttemptOutcome | null {
  const p = op.payload;
  const self = op.resource_id;
  if (kind === 'user') {
    const others = directory.usersOf(connection.id).filter((u) => u.id !== self);
    const licence = text(p['license_number']);
    const taken = licence ? others.find((u) => u.license_number?.toLowerCase() === licence.toLowerCase()) : undefined;
    if (taken) {
      return reject(
        409,
        `license_number: ${licence} is already the licence of ${taken.first_name} ${taken.last_name} (${profile.label} user ${taken.source_id}); ${profile.label} takes each licence number once per fleet`,
      );
    }
    const username = text(p['username']);
    const sameName = username ? others.find((u) => u.username.toLowerCase() === username.toLowerCase()) : undefined;
    if (sameName) return reject(409, `username: ${username} is taken by ${sameName.first_name} ${sameName.last_name} at ${profile.label}`);
    return null;
  }
  const vin = text(p['vin']);
  if (vin !== null && !VIN.test(vin)) {
    return reject(
      profile.name === 'geotab' ? 400 : 422,
      `vin: "${vin}" is not a valid VIN for ${profile.label} (17 characters, letters and digits, no I, O or Q)`,
    );
  }
  const others: AssetRecord[] = directory.assetsOf(kind, connection.id).filter((a) => a.id !== self);
  const sameVin = vin ? others.find((a) => String(a.attributes['vin']).toUpperCase() === vin.toUpperCase()) : undefined;
  if (sameVin) {
    return reject(
      409,
      `vin: ${vin} already belongs to ${String(sameVin.attributes[`${kind}_name`])} (${profile.label} ${kind} ${sameVin.source_id})`,
    );
  }
  if (kind === 'trailer') {
    const country = text(p['license_plate_country']);
    if (country !== null && !/^[A-Za-z]{2}$/.test(country)) {
      return reject(
        400,
        `license_plate_country: "${country}" is not a two-letter country code; ${profile.label} takes trailer plates as ISO 3166-1 alpha-2 (e.g. "US", "CA")`,
      );
    }
  }
  const name = text(p[`${kind}_name`]);
  const sameName =
    name && profile.name === 'samsara' ? others.find((a) => String(a.attributes[`${kind}_name`]).toLowerCase() === name.toLowerCase()) : undefined;
  if (sameName) return reject(409, `${kind}_name: Samsara already has a ${kind} named "${name}" (${sameName.source_id}); names are unique per fleet`);
  return null;
}
