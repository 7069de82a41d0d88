import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendMessageRequestSchema } from '../../contracts/message-schemas.ts';
import { catenaIdSchema } from '../../contracts/operation-schemas.ts';
import type { SendStatus } from '../../contracts/send-schemas.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import type { MessageSender, SendResult } from '../sending/message-sender.ts';
import { repeatRequestOf, writeLabelOf } from '../operations/repeat-request.ts';
import { messageOf, resendTargetOf } from '../sending/resend-chains.ts';
import type { Send, SendStore } from '../sending/send-store.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { checkConnection, checkDraft } from './compose-checks.ts';
import { idempotencyKeyOf } from './idempotency-keys.ts';

/**
 * The write side for single messages: POST /api/messages forwards one message; POST
 * /api/operations/{id}/resend sends a failed message's payload again as a new operation, linked
 * to the old one. Both answer with Catena's own status code (202 async; 200 or 502 sync).
 */
export function registerMessagesRoutes(
  app: FastifyInstance,
  deps: {
    sender: MessageSender;
    store: OperationsStore;
    sends: SendStore;
    directory: DirectoryService;
    audit: AuditLog;
    settlesAt: (send: Send) => string;
  },
): void {
  app.post('/api/messages', { config: { access: 'send' } }, async (request, reply) => {
    const message = parseInput(sendMessageRequestSchema, request.body, 'message');
    const idempotencyKey = idempotencyKeyOf(request);
    const result = await deps.sender.send(message, {
      idempotencyKey,
      scope: 'messages',
      account: accountOf(request),
      check: () => checkDraft(deps.directory, { ...message, recipient_ids: [message.recipient_id] }),
    });
    if (!result.replayed) {
      await deps.audit.record({
        actor: request.user,
        action: 'message_sent',
        target: result.operation.id,
        details: {
          connection_id: message.connection_id,
          recipient_id: message.recipient_id,
          is_sync: message.is_sync ?? false,
          status: result.status,
        },
        ip: request.ip,
      });
    }
    return answer(reply, result);
  });

  app.post('/api/operations/:id/resend', { config: { access: 'resend' } }, async (request, reply) => {
    const { id } = parseInput(z.object({ id: catenaIdSchema }), request.params, 'operation id');
    const original = await deps.store.get(id);
    if (!original) throw new HttpError(404, 'operation_not_found', `No operation ${id} is known to the console.`);
    const idempotencyKey = idempotencyKeyOf(request);
    const intent = { resend_of: original.id };
    const replayed = await deps.sender.replay('resend', idempotencyKey, intent);
    if (replayed) return answer(reply, replayed);
    const target = await resendTargetOf(deps.sends, original);
    if (!target.ok) {
      throw new HttpError(409, target.verdict === 'not_failed' ? 'not_resendable' : target.verdict, target.message, {
        operation_id: target.newerOperationId,
        ...(target.batchId ? { batch_id: target.batchId } : {}),
      });
    }
    // The chain's newest operation is what goes again (this one, unless its resend failed too).
    const resent = target.targetId === original.id ? original : await deps.store.get(target.targetId);
    const again = resent ? repeatRequestOf(resent) : null;
    if (!resent || !again?.ok) {
      throw new HttpError(
        422,
        'payload_incomplete',
        again && !again.ok ? again.reason : "The operation to resend is no longer in the console's store.",
      );
    }
    const common = { idempotencyKey, scope: 'resend', intent, resendOf: resent.id, account: accountOf(request) };
    const message = resent.resource === 'message' ? messageOf(resent) : null;
    const result = message
      ? await deps.sender.send(message, {
          ...common,
          // What made it fail may still be true (a paused connection, a text too long): say so before sending.
          check: () => checkDraft(deps.directory, { ...message, recipient_ids: [message.recipient_id] }),
        })
      : await deps.sender.sendWrite(
          { resource: resent.resource, connection_id: resent.connection_id, request: again.request, label: writeLabelOf(resent) },
          { ...common, check: () => checkConnection(deps.directory, resent.connection_id) },
        );
    if (!result.replayed) {
      await deps.audit.record({
        actor: request.user,
        action: 'operation_resent',
        target: resent.id,
        details: { new_operation_id: result.operation.id },
        ip: request.ip,
      });
    }
    return answer(reply, result);
  });

  app.get('/api/sends/:id', { config: { access: 'view' } }, async (request) => {
    const { id } = parseInput(z.object({ id: z.uuid() }), request.params, 'send id');
    const send = await deps.sends.get(id);
    if (!send || send.batch_id) throw new HttpError(404, 'send_not_found', `No send ${id} is known to the console.`);
    return sendStatusOf(send, deps.settlesAt(send), send.on_its_way);
  });
}

function sendStatusOf(send: Send, settlesAt: string, onItsWay: boolean): SendStatus {
  const base = { id: send.id, operation_id: send.operation_id, settles_at: null };
  switch (send.state) {
    case 'submitted':
      return { ...base, state: 'sent', message: 'Catena has the message.' };
    case 'not_sent':
      return { ...base, state: 'not_sent', message: 'Catena never received the message: nothing was sent. Sending it again is safe.' };
    case 'refused':
    case 'cancelled':
      return { ...base, state: 'refused', message: send.error ?? 'Nothing was sent.' };
    default:
      if (onItsWay) return { ...base, state: 'sending', message: 'On its way to Catena; its answer is expected within seconds.' };
      return {
        ...base,
        state: 'in_doubt',
        settles_at: settlesAt,
        message: 'Not confirmed yet — checking with Catena whether the message was created.',
      };
  }
}

function accountOf(request: FastifyRequest): { id: string; name: string } | null {
  return request.user ? { id: request.user.id, name: request.user.name } : null;
}

function answer(reply: FastifyReply, result: SendResult) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(result.status).send(result.operation);
}
