import type { OperationDetail } from '../../contracts/operation-schemas.ts';
import type { CatenaWriteRequest } from '../catena/catena-client.ts';

/**
 * The Catena request that would write an operation again, derived from the operation alone: the
 * same endpoint and the same body, without the TSP ids Catena resolved into the payload (Catena
 * resolves them again). An update is sent again as the same update of the same record, field for
 * field; whether a newer update of that record exists is the caller's to check
 * (`OperationsStore.newerUpdateOf`). Pure: no I/O, no clock.
 */

export type RepeatRequest = { ok: true; request: CatenaWriteRequest; description: string } | { ok: false; reason: string };

type Operation = Pick<OperationDetail, 'resource' | 'operation_type' | 'connection_id' | 'resource_id' | 'payload'>;

const CREATE_PATHS: Record<string, string> = {
  message: '/v2/telematics/messages',
  group_message: '/v2/telematics/group-messages',
  fuel_transaction: '/v2/telematics/fuel-transactions',
  dvir_log: '/v2/telematics/dvir-logs',
  vehicle: '/v2/telematics/vehicles',
  trailer: '/v2/telematics/trailers',
  user: '/v2/telematics/users',
};

/** Resources Catena can update (PATCH …/{id}); the others are create-only. */
const UPDATE_PATHS: Record<string, string> = {
  vehicle: '/v2/telematics/vehicles',
  trailer: '/v2/telematics/trailers',
  user: '/v2/telematics/users',
};

/** MessageCreate's fields: a message body is exactly these (the payload also holds resolved TSP ids). */
const MESSAGE_FIELDS = ['sender_id', 'recipient_id', 'message_text', 'priority', 'reply_to_message_id'] as const;

const NOUNS: Record<string, string> = {
  message: 'message',
  group_message: 'group message',
  fuel_transaction: 'fuel transaction',
  dvir_log: 'DVIR log',
  vehicle: 'vehicle',
  trailer: 'trailer',
  user: 'user',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function repeatRequestOf(op: Operation): RepeatRequest {
  const noun = NOUNS[op.resource];
  const createPath = CREATE_PATHS[op.resource];
  if (!noun || !createPath) {
    return { ok: false, reason: `The console cannot write a ${op.resource.replaceAll('_', ' ')} again: Catena has no write endpoint for it.` };
  }

  if (op.resource === 'message') {
    const body: Record<string, unknown> = { connection_id: op.connection_id };
    for (const field of MESSAGE_FIELDS) {
      const value = op.payload[field];
      if (value !== undefined && value !== null) body[field] = value;
    }
    if (typeof body['sender_id'] !== 'string' || typeof body['recipient_id'] !== 'string') {
      return { ok: false, reason: 'The payload has no sender or no recipient, so the message cannot be sent again as it was.' };
    }
    return {
      ok: true,
      request: { method: 'POST', path: createPath, body },
      description: 'Sends the same message again, to the same recipient, from the same sender.',
    };
  }

  // The body as asked: every field but the TSP ids Catena resolved (`source_*`); explicit nulls stay (they clear a field).
  const body: Record<string, unknown> = { ...withoutResolvedIds(op.payload), connection_id: op.connection_id };

  if (op.operation_type === 'update') {
    const updatePath = UPDATE_PATHS[op.resource];
    if (!updatePath) return { ok: false, reason: `Catena cannot update a ${noun}: it has no update endpoint for it.` };
    if (!op.resource_id || !UUID.test(op.resource_id)) {
      return { ok: false, reason: `The operation does not say which ${noun} it updated, so the update cannot be sent again.` };
    }
    const fields = Object.keys(body).filter((field) => field !== 'connection_id');
    if (fields.length === 0) return { ok: false, reason: `The update names no field of the ${noun}, so there is nothing to send again.` };
    return {
      ok: true,
      request: { method: 'PATCH', path: `${updatePath}/${op.resource_id.toLowerCase()}`, body },
      description: `Sends the same update of this ${noun} again (${fields.join(', ')}), with the values it had.`,
    };
  }

  return { ok: true, request: { method: 'POST', path: createPath, body }, description: `Creates the same ${noun} again, with the same fields.` };
}

/** A write in words, where a message would name its recipient: "Vehicle update", "DVIR log". */
export function writeLabelOf(op: Pick<Operation, 'resource' | 'operation_type'>): string {
  const noun = NOUNS[op.resource] ?? op.resource.replaceAll('_', ' ');
  const words = op.operation_type === 'update' ? `${noun} update` : noun;
  return /^[A-Z]{2}/.test(words) ? words : words.charAt(0).toUpperCase() + words.slice(1);
}

function withoutResolvedIds(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !key.startsWith('source_')));
}
