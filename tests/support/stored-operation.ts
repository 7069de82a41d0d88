import { randomUUID } from 'node:crypto';
import type { OperationWithLogs } from '../../contracts/operation-schemas.ts';

/**
 * An operation as the store holds it (a message created through Samsara that succeeded on its
 * first attempt, `minutesAgo` before `now`), with whatever the test sets instead.
 */
export function storedOperation(overrides: Partial<OperationWithLogs> & { minutesAgo?: number; now?: number } = {}): OperationWithLogs {
  const { minutesAgo = 1, now = Date.now(), ...fields } = overrides;
  const at = new Date(now - minutesAgo * 60_000).toISOString();
  return {
    id: randomUUID(),
    created_at: at,
    updated_at: at,
    partner_id: randomUUID(),
    connection_id: 'c0ffee00-0000-4000-8000-000000000001',
    fleet_ref: null,
    source_name: 'samsara',
    resource: 'message',
    resource_id: null,
    source_id: null,
    operation_type: 'create',
    status: 'success',
    payload: { message_text: 'Load 88 is ready at dock 4' },
    attempt_count: 1,
    last_error_type: null,
    logs: [],
    ...fields,
  };
}
