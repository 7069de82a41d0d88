import type { ErrorType, OperationLog, OperationWithLogs } from '../../contracts/operation-schemas.ts';
import type { CatenaOperation } from '../catena/catena-schemas.ts';

/**
 * Turns an operation as Catena sent it (create answer, webhook, list page) into the form the
 * console stores and serves: timestamps normalised to UTC milliseconds, logs in attempt order,
 * and the two derived fields the table needs.
 */
export function toOperationRecord(op: CatenaOperation, fallbackSourceName: string | null): OperationWithLogs {
  const logs: OperationLog[] = op.logs
    .map((log) => ({
      ...log,
      created_at: normaliseTimestamp(log.created_at),
      updated_at: normaliseTimestamp(log.updated_at),
    }))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  return {
    id: op.id.toLowerCase(),
    created_at: normaliseTimestamp(op.created_at),
    updated_at: normaliseTimestamp(op.updated_at),
    partner_id: op.partner_id,
    connection_id: op.connection_id.toLowerCase(),
    fleet_ref: op.fleet_ref,
    source_name: op.source_name ?? fallbackSourceName ?? 'unknown',
    resource: op.resource,
    resource_id: op.resource_id,
    source_id: op.source_id,
    operation_type: op.operation_type,
    status: op.status,
    payload: op.payload,
    attempt_count: logs.length,
    last_error_type: lastErrorType(logs),
    logs,
  };
}

function lastErrorType(logs: readonly OperationLog[]): ErrorType | null {
  for (let i = logs.length - 1; i >= 0; i -= 1) {
    const type = logs[i]?.error_type;
    if (type) return type;
  }
  return null;
}

/** Same instant, one text form: text order is then time order in the store's indexes. */
export function normaliseTimestamp(value: string): string {
  return new Date(value).toISOString();
}
