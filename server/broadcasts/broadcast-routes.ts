import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { broadcastListQuerySchema, createBroadcastRequestSchema } from '../../contracts/broadcast-schemas.ts';
import { catenaIdSchema } from '../../contracts/operation-schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { checkDraft } from '../messages/compose-checks.ts';
import { createOnce, idempotencyKeyOf } from '../messages/idempotency-keys.ts';
import type { IdempotencyStore } from '../messages/idempotency-store.ts';
import type { SendDispatcher } from '../sending/send-dispatcher.ts';
import type { WatchedOperations } from '../operations/watched-operations.ts';
import type { BroadcastStore, NewBroadcast } from './broadcast-store.ts';

type Deps = {
  store: BroadcastStore;
  dispatcher: SendDispatcher;
  directory: DirectoryService;
  idempotency: IdempotencyStore;
  audit: AuditLog;
  /** A broadcast's page shows its recipients' attempts while they are pending. */
  watched: Pick<WatchedOperations, 'watch'>;
};

/**
 * Broadcasts: one text to many drivers of a connection, one message operation each. Creating one
 * records every recipient at once and answers 202; the dispatcher sends them in the background.
 */
export function registerBroadcastRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/api/broadcasts', { config: { access: 'send' } }, async (request, reply) => {
    const body = parseInput(createBroadcastRequestSchema, request.body, 'broadcast');
    const key = idempotencyKeyOf(request);
    return created(request, reply, deps, key, 'broadcasts', body, async () => {
      const recipientIds = body.all_drivers
        ? (await deps.directory.listUsers(body.connection_id)).filter((u) => u.role === 'driver' && u.is_active).map((u) => u.id)
        : (body.recipient_ids ?? []);
      if (recipientIds.length === 0) {
        throw new HttpError(422, 'no_recipients', 'This connection has no active drivers to send to.', { field: 'recipient_ids' });
      }
      const checked = await checkDraft(deps.directory, { ...body, recipient_ids: recipientIds });
      return newBroadcast(request, checked, {
        message_text: body.message_text,
        priority: body.priority ?? null,
        all_drivers: body.all_drivers === true,
        recipients: checked.recipients,
        resend_of: null,
      });
    });
  });

  app.get('/api/broadcasts', { config: { access: 'view' } }, async (request) => {
    const query = parseInput(broadcastListQuerySchema, request.query ?? {}, 'broadcast list request');
    return deps.store.list(query);
  });

  app.get('/api/broadcasts/:id', { config: { access: 'view' } }, async (request) => {
    const { id } = parseInput(z.object({ id: catenaIdSchema }), request.params, 'broadcast id');
    const broadcast = await deps.store.get(id, { waitingForCatena: await deps.dispatcher.isWaitingForCatena() });
    if (!broadcast) throw new HttpError(404, 'broadcast_not_found', `No broadcast ${id} is known to the console.`);
    deps.watched.watch(
      broadcast.recipients.flatMap((r) => (r.operation_id ? [{ id: r.operation_id, connection_id: broadcast.connection_id, status: r.status }] : [])),
    );
    return broadcast;
  });
}

/** Creates a broadcast at most once per idempotency key, then tells the audit log and the dispatcher. */
async function created(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Deps,
  key: string | null,
  scope: string,
  intent: unknown,
  build: () => Promise<NewBroadcast>,
) {
  const {
    value: broadcast,
    replayed,
    statusCode,
  } = await createOnce(
    deps.idempotency,
    { key, scope, intent },
    (id) => deps.store.get(id),
    async (markDone) => deps.store.create(await build(), markDone),
  );
  if (replayed) return reply.status(statusCode).header('idempotent-replayed', 'true').send(broadcast);
  await deps.audit.record({
    actor: request.user,
    action: broadcast.resend_of ? 'broadcast_resent' : 'broadcast_created',
    target: broadcast.id,
    details: {
      connection_id: broadcast.connection_id,
      recipients: broadcast.recipient_count,
      ...(broadcast.resend_of ? { resend_of: broadcast.resend_of } : {}),
    },
    ip: request.ip,
  });
  deps.dispatcher.notify();
  return reply.status(202).send(broadcast);
}

/** A broadcast as stored: names as the directory had them when it was sent, and who sent it. */
function newBroadcast(
  request: FastifyRequest,
  checked: Awaited<ReturnType<typeof checkDraft>>,
  rest: Pick<NewBroadcast, 'message_text' | 'priority' | 'all_drivers' | 'resend_of'> & { recipients: readonly { id: string; name: string }[] },
): NewBroadcast {
  return {
    connection_id: checked.connection.id,
    connection_name: checked.connection.name,
    tsp: checked.connection.tsp,
    sender_id: checked.sender.id,
    sender_name: checked.sender.name,
    ...rest,
    recipients: rest.recipients.map((r) => ({ id: r.id, name: r.name })),
    created_by: request.user ? { id: request.user.id, name: request.user.name } : null,
  };
}
