import { isoTime } from '../lib/time.ts';
import type { OperationLogRecord, OperationRecord } from './operation-store.ts';

/** ResourceOperationLogRead. */
export function toLogRead(op: OperationRecord, log: OperationLogRecord) {
  return {
    id: log.id,
    created_at: isoTime(log.created_at),
    updated_at: isoTime(log.updated_at),
    resource_operation_id: op.id,
    status: log.status,
    error_type: log.error_type,
    error_details: log.error_details,
    response_status_code: log.response_status_code,
    response_headers: log.response_headers,
  };
}

/**
 * ResourceOperationRead: what the integrations API (list, get) and the resource_operation.*
 * webhooks return. It has `source_name` and `fleet_ref`, and no `deleted_at`.
 */
export function toOperationRead(op: OperationRecord) {
  return {
    id: op.id,
    created_at: isoTime(op.created_at),
    updated_at: isoTime(op.updated_at),
    partner_id: op.partner_id,
    connection_id: op.connection_id,
    fleet_ref: op.fleet_ref,
    source_name: op.source_name,
    resource: op.resource,
    resource_id: op.resource_id,
    source_id: op.source_id,
    operation_type: op.operation_type,
    status: op.status,
    payload: op.payload,
    logs: op.logs.map((log) => toLogRead(op, log)),
  };
}
export type OperationRead = ReturnType<typeof toOperationRead>;

/**
 * ResourceOperation: what a telematics write (POST /v2/telematics/messages) answers with, as in
 * Catena's create-message example — with `deleted_at`, and WITHOUT `source_name` and `fleet_ref`
 * (the telematics schema does not have them; a client must not expect them there).
 */
export function toWriteResponse(op: OperationRecord) {
  return {
    id: op.id,
    partner_id: op.partner_id,
    connection_id: op.connection_id,
    resource: op.resource,
    operation_type: op.operation_type,
    payload: op.payload,
    created_at: isoTime(op.created_at),
    updated_at: isoTime(op.updated_at),
    deleted_at: null,
    resource_id: op.resource_id,
    source_id: op.source_id,
    status: op.status,
    logs: op.logs.map((log) => toLogRead(op, log)),
  };
}
