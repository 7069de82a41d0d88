import type { FieldChange, OperationDetail, OperationRecord } from '../../contracts/operation-schemas.ts';
import type { OperationsStore, RecordName } from './operations-store.ts';

/**
 * An operation read as a record of its resource (GET /api/operations/{id}/record). For an update of a
 * vehicle, trailer or user: the record as it was before, and field by field what the update changes.
 * The state before comes from the store when it holds the record's create and every successful
 * update since (folded in order); otherwise from Catena's read of the record, which is the state
 * before a failed update unless a newer update changed it since (`newer_update_id` says so).
 */

export type RecordReader = (resource: 'vehicle' | 'trailer' | 'user', id: string) => Promise<Record<string, unknown> | null>;

const RECORD_RESOURCES = new Set(['vehicle', 'trailer', 'user']);
/** Catena's record metadata: not fields an update can change. */
const METADATA = new Set([
  'id',
  'connection_id',
  'fleet_id',
  'fleet_ref',
  'tsp_id',
  'tsp_slug',
  'source_name',
  'source_id',
  'source_data',
  'source_data_hash',
  'created_at',
  'updated_at',
  'deleted_at',
  'occurred_at',
  'execution_id',
  'schedule_id',
  'extras',
]);

/** The fields a write asked for: its payload without the connection and the TSP ids Catena resolved. */
export function askedFields(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => key !== 'connection_id' && !key.startsWith('source_')));
}

/** Every Catena id the payload and the record name, for their names. */
function referencedIds(op: OperationDetail): string[] {
  const ids = op.resource_id ? [op.resource_id] : [];
  for (const [key, value] of Object.entries(op.payload)) {
    if (key.startsWith('source_')) continue;
    if (key.endsWith('_id') && typeof value === 'string') ids.push(value);
    if (key.endsWith('_ids') && Array.isArray(value)) ids.push(...value.filter((item): item is string => typeof item === 'string'));
  }
  return ids;
}

export async function recordViewOf(
  op: OperationDetail,
  deps: { store: OperationsStore; readRecord: RecordReader; warmNames: (connectionIds: string[]) => Promise<void> },
): Promise<OperationRecord> {
  await deps.warmNames([op.connection_id]).catch(() => undefined);
  const names: RecordName[] = [...(await deps.store.namesOf(referencedIds(op))).values()];
  const base = {
    operation_id: op.id,
    resource: op.resource,
    operation_type: op.operation_type,
    names: names.map(({ id, kind, name }) => ({ id, kind, name })),
  };
  const isRecordUpdate = op.operation_type === 'update' && RECORD_RESOURCES.has(op.resource) && op.resource_id !== null;
  if (!isRecordUpdate || !op.resource_id) return { ...base, record_before: null, changes: [], newer_update_id: null };

  const [newer, history] = await Promise.all([deps.store.newerUpdateOf(op), deps.store.recordHistoryBefore(op)]);
  let recordBefore: OperationRecord['record_before'] = null;
  if (history.some((earlier) => earlier.operation_type === 'create')) {
    recordBefore = {
      source: 'store',
      fields: Object.assign({}, ...history.map((earlier) => askedFields(earlier.payload))) as Record<string, unknown>,
    };
  } else {
    const read = await deps.readRecord(op.resource as 'vehicle' | 'trailer' | 'user', op.resource_id).catch(() => null);
    if (read) recordBefore = { source: 'catena', fields: Object.fromEntries(Object.entries(read).filter(([key]) => !METADATA.has(key))) };
    else if (history.length > 0)
      recordBefore = {
        source: 'store',
        fields: Object.assign({}, ...history.map((earlier) => askedFields(earlier.payload))) as Record<string, unknown>,
      };
  }
  const changes: FieldChange[] = Object.entries(askedFields(op.payload)).map(([field, after]) => {
    const known = recordBefore !== null && Object.hasOwn(recordBefore.fields, field);
    return { field, after, before: known ? recordBefore?.fields[field] : null, before_known: known };
  });
  return { ...base, record_before: recordBefore, changes, newer_update_id: newer };
}
