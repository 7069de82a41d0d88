import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendMessageRequestSchema } from '../../contracts/message-schemas.ts';
import { catenaIdSchema } from '../../contracts/operation-schemas.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { OperationOrigin, OperationsStore } from '../operations/operations-store.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { checkDraft } from './compose-checks.ts';
import { idempotencyKeyOf } from './idempotency-store.ts';
import type { MessageSender, SendResult } from './message-sender.ts';

/**
 * The write side for single messages: POST /api/messages forwards one message; POST
 * /api/operations/{id}/resend sends a failed message's payload again as a new operation, linked
 * to the old one. Both answer with Catena's own status code (202 async; 200 or 502 sync).
 */
export function registerMessagesRoutes(
  app: FastifyInstance,
  deps: { sender: MessageSender; store: OperationsStore; directory: DirectoryService; audit: AuditLog },
): void {
  app.post('/api/messages', { config: { access: 'send' } }, async (request, reply) => {
    const message = parseInput(sendMessageRequestSchema, request.body, 'message');
    const idempotencyKey = idempotencyKeyOf(request);
    const result = await deps.sender.send(message, {
      idempotencyKey,
      scope: 'messages',
      origin: originOf(request),
      check: () => checkDraft(deps.directory, { ...message, recipient_ids: [message.recipient_id] }),
    });
    if (!result.replayed) {
      deps.audit.record({
        actor: request.user,
        action: 'message_sent',
        target: result.operation.id,
        details: { connection_id: message.connection_id, recipient_id: message.recipient_id, is_sync: message.is_sync ?? false, status: result.status },
        ip: request.ip,
      });
    }
    return answer(reply, result);
  });

  app.post('/api/operations/:id/resend', { config: { access: 'resend' } }, async (request, reply) => {
    const { id } = parseInput(z.object({ id: catenaIdSchema }), request.params, 'operation id');
    const original = deps.store.get(id);
    if (!original) throw new HttpError(404, 'operation_not_found', `No operation ${id} is known to the console.`);
    if (original.resource !== 'message') {
      throw new HttpError(409, 'not_resendable', `Only message operations can be resent; this one is a ${original.resource} operation.`);
    }
    if (original.status !== 'failed') {
      throw new HttpError(409, 'not_resendable', `Only failed operations can be resent; this one is ${original.status}.`);
    }
    const payload = original.payload;
    const message = sendMessageRequestSchema.safeParse({
      connection_id: original.connection_id,
      sender_id: payload.sender_id,
      recipient_id: payload.recipient_id,
      message_text: payload.message_text,
      priority: payload.priority ?? undefined,
      reply_to_message_id: payload.reply_to_message_id ?? undefined,
    });
    if (!message.success) {
      throw new HttpError(422, 'payload_incomplete', 'This operation\'s payload lacks what a message needs (sender, recipient, text), so it cannot be resent from here.');
    }
    const result = await deps.sender.send(message.data, {
      idempotencyKey: idempotencyKeyOf(request),
      scope: 'resend',
      intent: { resend_of: original.id },
      resendOf: original.id,
      origin: originOf(request),
      // What made it fail may still be true (a paused connection, a text too long): say so before sending.
      check: () => checkDraft(deps.directory, { ...message.data, recipient_ids: [message.data.recipient_id] }),
    });
    if (!result.replayed) {
      deps.audit.record({ actor: request.user, action: 'operation_resent', target: original.id, details: { new_operation_id: result.operation.id }, ip: request.ip });
    }
    return answer(reply, result);
  });
}

function originOf(request: FastifyRequest): OperationOrigin {
  return { accountId: request.user?.id ?? null, accountName: request.user?.name ?? null, broadcastId: null };
}


function answer(reply: FastifyReply, result: SendResult) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(result.status).send(result.operation);
}
