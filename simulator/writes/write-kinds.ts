import { z } from 'zod';
import type { AssetKind, Directory } from '../directory/directory-store.ts';
import type { OperationStore } from '../operations/operation-store.ts';
import { WRITE_BODY_SCHEMAS, type WriteBody } from './write-schemas.ts';

/**
 * Catena's write endpoints (writes-and-webhooks.md §1): which body each takes, which resource and
 * operation type its operation carries, and which TSP ids Catena resolves into the payload.
 */

const lowerGuid = () => z.guid().transform((id) => id.toLowerCase());

/** MessageCreate (excerpt-telematics-schemas.json). Ids are normalised to lowercase, as pydantic's UUID does. */
const messageCreateSchema = z.object({
  connection_id: lowerGuid(),
  sender_id: lowerGuid(),
  recipient_id: lowerGuid(),
  message_text: z.string().nullable().optional(),
  priority: z.enum(['low', 'medium', 'high']).nullable().optional(),
  reply_to_message_id: lowerGuid().nullable().optional(),
});

export type RecordKind = AssetKind | 'user';

export interface WriteEndpoint {
  method: 'POST' | 'PATCH';
  /** Fastify route; updates take the Catena record id as `:id`. */
  route: string;
  resource: 'message' | 'group_message' | 'fuel_transaction' | 'dvir_log' | RecordKind;
  operation_type: 'create' | 'update';
  body: z.ZodType<WriteBody>;
}

export const WRITE_ENDPOINTS: readonly WriteEndpoint[] = [
  {
    method: 'POST',
    route: '/v2/telematics/messages',
    resource: 'message',
    operation_type: 'create',
    body: messageCreateSchema as z.ZodType<WriteBody>,
  },
  {
    method: 'POST',
    route: '/v2/telematics/group-messages',
    resource: 'group_message',
    operation_type: 'create',
    body: WRITE_BODY_SCHEMAS.GroupMessageCreate,
  },
  {
    method: 'POST',
    route: '/v2/telematics/fuel-transactions',
    resource: 'fuel_transaction',
    operation_type: 'create',
    body: WRITE_BODY_SCHEMAS.FuelTransactionCreate,
  },
  { method: 'POST', route: '/v2/telematics/dvir-logs', resource: 'dvir_log', operation_type: 'create', body: WRITE_BODY_SCHEMAS.DvirLogCreate },
  { method: 'POST', route: '/v2/telematics/vehicles', resource: 'vehicle', operation_type: 'create', body: WRITE_BODY_SCHEMAS.VehicleCreate },
  { method: 'PATCH', route: '/v2/telematics/vehicles/:id', resource: 'vehicle', operation_type: 'update', body: WRITE_BODY_SCHEMAS.VehicleUpdate },
  { method: 'POST', route: '/v2/telematics/trailers', resource: 'trailer', operation_type: 'create', body: WRITE_BODY_SCHEMAS.TrailerCreate },
  { method: 'PATCH', route: '/v2/telematics/trailers/:id', resource: 'trailer', operation_type: 'update', body: WRITE_BODY_SCHEMAS.TrailerUpdate },
  { method: 'POST', route: '/v2/telematics/users', resource: 'user', operation_type: 'create', body: WRITE_BODY_SCHEMAS.UserCreate },
  { method: 'PATCH', route: '/v2/telematics/users/:id', resource: 'user', operation_type: 'update', body: WRITE_BODY_SCHEMAS.UserUpdate },
];

export function endpointFor(resource: string, operationType: 'create' | 'update'): WriteEndpoint {
  const found = WRITE_ENDPOINTS.find((e) => e.resource === resource && e.operation_type === operationType);
  if (!found) throw new Error(`no write endpoint for ${operationType} ${resource}`);
  return found;
}

export const RECORD_NOUNS: Record<RecordKind, string> = { vehicle: 'vehicle', trailer: 'trailer', user: 'user' };

export function isRecordKind(resource: string): resource is RecordKind {
  return resource === 'vehicle' || resource === 'trailer' || resource === 'user';
}

/** The TSP id of a record of this connection, or undefined. */
export function sourceIdOf(directory: Directory, kind: RecordKind, id: unknown, connectionId: string): string | undefined {
  if (typeof id !== 'string') return undefined;
  if (kind === 'user') return directory.userOfConnection(id, connectionId)?.source_id;
  return directory.assetOfConnection(kind, id, connectionId)?.source_id;
}

const given = (body: WriteBody): Record<string, unknown> => Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));

/**
 * The payload Catena stores and sends on: the fields given, with the TSP ids it resolved from the
 * Catena ids in them (null where it could not; the operation then fails with `validation`).
 * Messages keep their historic shape: every MessageCreate field, null when not given.
 */
export function resolvePayload(
  resource: WriteEndpoint['resource'],
  body: WriteBody,
  connectionId: string,
  deps: { directory: Directory; operations: OperationStore },
): Record<string, unknown> {
  const { directory } = deps;
  const source = (kind: RecordKind, id: unknown): string | null => sourceIdOf(directory, kind, id, connectionId) ?? null;
  switch (resource) {
    case 'message': {
      const replyId = typeof body['reply_to_message_id'] === 'string' ? body['reply_to_message_id'] : null;
      const repliedTo = replyId ? deps.operations.findByResourceId(replyId) : undefined;
      return {
        connection_id: body.connection_id,
        sender_id: body['sender_id'],
        recipient_id: body['recipient_id'],
        message_text: body['message_text'] ?? null,
        priority: body['priority'] ?? null,
        reply_to_message_id: replyId,
        source_sender_id: source('user', body['sender_id']),
        source_recipient_id: source('user', body['recipient_id']),
        source_reply_to_message_id: repliedTo && repliedTo.connection_id === connectionId ? repliedTo.source_id : null,
      };
    }
    case 'group_message': {
      const recipients = Array.isArray(body['recipient_ids']) ? (body['recipient_ids'] as unknown[]) : [];
      return {
        ...given(body),
        source_sender_id: source('user', body['sender_id']),
        source_recipient_ids: recipients.map((id) => source('user', id)),
      };
    }
    case 'fuel_transaction':
      return {
        ...given(body),
        source_driver_id: source('user', body['driver_id']),
        source_vehicle_id: source('vehicle', body['vehicle_id']),
        ...(typeof body['co_driver_id'] === 'string' && { source_co_driver_id: source('user', body['co_driver_id']) }),
      };
    case 'dvir_log':
      return {
        ...given(body),
        source_driver_id: source('user', body['driver_id']),
        ...(typeof body['vehicle_id'] === 'string' && { source_vehicle_id: source('vehicle', body['vehicle_id']) }),
        ...(typeof body['trailer_id'] === 'string' && { source_trailer_id: source('trailer', body['trailer_id']) }),
      };
    default:
      return given(body);
  }
}
