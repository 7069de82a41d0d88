import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Directory } from '../directory/directory-store.ts';
import { CatenaHttpError, notFound } from '../http/catena-errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { queryBool } from '../http/query-params.ts';
import { parseInput } from '../http/request-validation.ts';
import { newId } from '../lib/ids.ts';
import type { OperationRecord, OperationStore } from '../operations/operation-store.ts';
import { toWriteResponse } from '../operations/operation-views.ts';
import type { OperationEventName, OperationProcessor } from '../processing/operation-processor.ts';

/** MessageCreate (telematics spec). Ids are normalised to lowercase, as pydantic's UUID does. */
const messageCreateSchema = z.object({
  connection_id: z.guid().transform((id) => id.toLowerCase()),
  sender_id: z.guid().transform((id) => id.toLowerCase()),
  recipient_id: z.guid().transform((id) => id.toLowerCase()),
  message_text: z.string().nullable().optional(),
  priority: z.enum(['low', 'medium', 'high']).nullable().optional(),
  reply_to_message_id: z
    .guid()
    .transform((id) => id.toLowerCase())
    .nullable()
    .optional(),
});

const createQuery = z.object({ is_sync: queryBool() });

export interface MessageRouteDeps {
  directory: Directory;
  operations: OperationStore;
  processor: OperationProcessor;
  partnerId: string;
  publish: (event: OperationEventName, op: OperationRecord) => void;
}

export function registerMessageRoutes(app: FastifyInstance, deps: MessageRouteDeps): void {
  app.post('/v2/telematics/messages', async (request, reply) => {
    const { is_sync } = parseInput(createQuery, request.query, 'query');
    const body = parseInput(messageCreateSchema, readJsonBody(request), 'body');
    const connection = deps.directory.connection(body.connection_id);
    if (!connection) throw notFound(`Connection ${body.connection_id} not found`);
    const fleet = deps.directory.fleetOf(connection);

    // Catena maps Catena ids to the TSP's ids; what it cannot resolve stays null and fails the operation later.
    const sender = deps.directory.userOfConnection(body.sender_id, connection.id);
    const recipient = deps.directory.userOfConnection(body.recipient_id, connection.id);
    const repliedTo = body.reply_to_message_id ? deps.operations.findByResourceId(body.reply_to_message_id) : undefined;
    const now = Date.now();
    const op: OperationRecord = {
      id: newId(),
      partner_id: deps.partnerId,
      connection_id: connection.id,
      fleet_id: fleet.id,
      fleet_ref: fleet.fleet_ref,
      source_name: connection.tsp,
      resource: 'message',
      operation_type: 'create',
      status: 'pending',
      payload: {
        connection_id: body.connection_id,
        sender_id: body.sender_id,
        recipient_id: body.recipient_id,
        message_text: body.message_text ?? null,
        priority: body.priority ?? null,
        reply_to_message_id: body.reply_to_message_id ?? null,
        source_sender_id: sender?.source_id ?? null,
        source_recipient_id: recipient?.source_id ?? null,
        source_reply_to_message_id: repliedTo && repliedTo.connection_id === connection.id ? repliedTo.source_id : null,
      },
      resource_id: null,
      source_id: null,
      created_at: now,
      updated_at: now,
      logs: [],
      origin: is_sync ? 'sync' : 'async',
    };
    deps.operations.add(op);

    if (is_sync) {
      await deps.processor.runSync(op);
      if (op.status === 'pending') {
        throw new CatenaHttpError(504, 'The simulator was reset or stopped while the TSP call was in flight');
      }
      return reply.code(op.status === 'success' ? 200 : 502).send(toWriteResponse(op));
    }
    // Build the 202 body before processing starts: processing mutates the record.
    const accepted = toWriteResponse(op);
    deps.publish('resource_operation.created', op);
    deps.processor.startAsync(op);
    return reply.code(202).send(accepted);
  });
}
