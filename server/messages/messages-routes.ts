import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { idempotencyKeySchema, sendMessageRequestSchema } from '../../contracts/message-schemas.ts';
import type { CatenaClient } from '../catena/catena-client.ts';
import { CatenaError } from '../catena/catena-error.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { toOperationDetail } from '../operations/operation-record.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import type { IdempotencyStore } from './idempotency-store.ts';

type Deps = {
  catena: CatenaClient;
  store: OperationsStore;
  directory: DirectoryService;
  idempotency: IdempotencyStore;
};

const SCOPE = 'messages';

/**
 * POST /api/messages: forwards one message to Catena and stores the operation Catena answers with
 * at once, so the SPA can follow it before any webhook arrives. Answers with Catena's own status
 * code (202 async; 200 or 502 sync).
 */
export function registerMessagesRoutes(app: FastifyInstance, deps: Deps): void {
  app.post('/api/messages', async (request, reply) => {
    const message = parseInput(sendMessageRequestSchema, request.body, 'message');
    const rawKey = request.headers['idempotency-key'];
    const key = rawKey === undefined ? null : parseInput(idempotencyKeySchema, Array.isArray(rawKey) ? rawKey[0] : rawKey, 'Idempotency-Key header');

    if (key) {
      const requestHash = createHash('sha256').update(JSON.stringify(message)).digest('hex');
      const claim = deps.idempotency.claim(SCOPE, key, requestHash);
      if (claim.kind === 'replay') {
        return reply.status(claim.statusCode).header('idempotent-replayed', 'true').send(claim.response);
      }
      if (claim.kind === 'in_flight') {
        reply.header('retry-after', '1');
        throw new HttpError(409, 'request_in_progress', 'A request with this Idempotency-Key is still being sent. Wait a moment and retry with the same key.');
      }
      if (claim.kind === 'mismatch') {
        throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different message. Use a new key for a new message.');
      }
    }

    // Warms the directory so the stored operation knows its TSP even when Catena's answer omits it.
    await deps.directory.listConnections().catch(() => []);
    const { is_sync: isSync = false, ...body } = message;
    try {
      const { status, operation } = await deps.catena.createMessage(body, isSync);
      const detail = toOperationDetail(operation, deps.directory.sourceNameOf(operation.connection_id));
      deps.store.upsert(detail, 'console');
      if (key) deps.idempotency.complete(SCOPE, key, status, detail, detail.id);
      return reply.status(status).send(detail);
    } catch (error) {
      // No operation was created, or none that the console could read: the same key may try again.
      if (key) deps.idempotency.release(SCOPE, key);
      throw upstreamMessageError(error);
    }
  });
}

function upstreamMessageError(error: unknown): unknown {
  if (!(error instanceof CatenaError) || error.kind !== 'http') return error;
  if (error.status === 404) {
    return new HttpError(404, 'connection_not_found', 'Catena does not know this connection (or it is not shared with this partner).', error.detail ?? undefined);
  }
  if (error.status === 422 || error.status === 400) {
    return new HttpError(422, 'rejected_by_catena', `Catena refused the message: ${error.message}`, error.detail ?? undefined);
  }
  return error;
}
