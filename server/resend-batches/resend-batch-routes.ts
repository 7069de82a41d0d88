import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { catenaIdSchema } from '../../contracts/operation-schemas.ts';
import {
  createResendBatchRequestSchema,
  RESEND_BATCH_MAX,
  type ResendBatchDetail,
  type ResendPreview,
} from '../../contracts/resend-batch-schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { BroadcastStore } from '../broadcasts/broadcast-store.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { createOnce, idempotencyKeyOf } from '../messages/idempotency-keys.ts';
import type { IdempotencyStore } from '../messages/idempotency-store.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import type { WatchedOperations } from '../operations/watched-operations.ts';
import type { SendDispatcher } from '../sending/send-dispatcher.ts';
import type { SendStore } from '../sending/send-store.ts';
import type { ResendBatchStore, Selection } from './resend-batch-store.ts';
import { classify, selectOperations, type Classified } from './resend-selection.ts';

type Deps = {
  batches: ResendBatchStore;
  broadcasts: BroadcastStore;
  store: OperationsStore;
  sends: SendStore;
  directory: DirectoryService;
  idempotency: IdempotencyStore;
  dispatcher: SendDispatcher;
  audit: AuditLog;
  /** A batch's page shows its resends' attempts while they are pending. */
  watched: Pick<WatchedOperations, 'watch'>;
};

/**
 * Bulk resend: a preview first (how many go, how many are skipped and why), then one confirmed
 * batch, sent by the dispatcher that sends broadcasts, exactly once across restarts. A broadcast's
 * "Resend to failed recipients" is a batch of the same kind.
 */
export function registerResendBatchRoutes(app: FastifyInstance, deps: Deps): void {
  // Up to RESEND_BATCH_MAX ids (about 400 KB of JSON) fit; the default limit is for single messages.
  app.post('/api/resend-batches', { config: { access: 'resend' }, bodyLimit: 1024 * 1024 }, async (request, reply) => {
    const body = parseInput(createResendBatchRequestSchema, request.body, 'bulk resend');
    const operations = await selectOperations(deps, body);
    const selection: Selection = body.operation_ids ? { kind: 'ids', count: operations.length } : { kind: 'filter', filter: body.filter ?? {} };
    if (body.dry_run) {
      const classified = await classify(deps, operations, accountOf(request));
      return reply.status(200).send(previewOf(classified));
    }
    return created(request, reply, deps, { selection: body }, async () => ({
      classified: await classify(deps, operations, accountOf(request)),
      selection,
      broadcastId: null,
    }));
  });

  app.post('/api/broadcasts/:id/resend-failed', { config: { access: 'resend' } }, async (request, reply) => {
    const { id } = parseInput(z.object({ id: catenaIdSchema }), request.params, 'broadcast id');
    if (!(await deps.broadcasts.get(id))) throw new HttpError(404, 'broadcast_not_found', `No broadcast ${id} is known to the console.`);
    return created(request, reply, deps, { resend_failed_of: id }, async () => {
      const heads = await deps.broadcasts.failedHeads(id);
      if (heads.length === 0) {
        throw new HttpError(
          409,
          'nothing_to_resend',
          'No recipient of this broadcast has a failed message left to resend: each was delivered, is on its way, or was already resent.',
        );
      }
      return {
        classified: await classify(deps, await deps.store.getMany(heads), accountOf(request)),
        selection: { kind: 'broadcast', broadcast_id: id.toLowerCase() },
        broadcastId: id.toLowerCase(),
      };
    });
  });

  app.get('/api/resend-batches', { config: { access: 'view' } }, async (request) => {
    const query = parseInput(
      z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      request.query ?? {},
      'resend batch list request',
    );
    const page = await deps.batches.list(query);
    if (!page) throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server gave out. Start again from the first page.');
    return page;
  });

  app.get('/api/resend-batches/:id', { config: { access: 'view' } }, async (request) => {
    const batch = await batchOrThrow(deps, parseInput(z.object({ id: z.uuid() }), request.params, 'resend batch id').id);
    deps.watched.watch(
      batch.items.flatMap((item) =>
        item.operation_id && item.operation_status
          ? [{ id: item.operation_id, connection_id: item.connection_id, status: item.operation_status }]
          : [],
      ),
    );
    return batch;
  });

  app.post('/api/resend-batches/:id/cancel', { config: { access: 'resend' } }, async (request) => {
    const { id } = parseInput(z.object({ id: z.uuid() }), request.params, 'resend batch id');
    const before = await batchOrThrow(deps, id);
    if (!before.cancelled_at && !before.finished) {
      await deps.batches.cancel(before.id);
      await deps.audit.record({
        actor: request.user,
        action: 'resend_batch_cancelled',
        target: before.id,
        details: { not_sent: before.counts.queued },
        ip: request.ip,
      });
    }
    return batchOrThrow(deps, id);
  });
}

async function batchOrThrow(deps: Deps, id: string): Promise<ResendBatchDetail> {
  const batch = await deps.batches.get(id);
  if (!batch) throw new HttpError(404, 'resend_batch_not_found', `No bulk resend ${id} is known to the console.`);
  return batch;
}

function previewOf(classified: Classified): ResendPreview {
  return { selected: classified.selected, will_resend: classified.items.length, skipped: classified.skipped };
}

function accountOf(request: FastifyRequest): { id: string; name: string } | null {
  return request.user ? { id: request.user.id, name: request.user.name } : null;
}

/** Who asks for a batch: a person's request, or the leader on a person's behalf (an incident's armed resend). */
type Requester = { key: string | null; user: { id: string; name: string; email: string } | null; ip: string | null };

/** Answers a request with a batch made at most once per its Idempotency-Key. */
async function created(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Deps,
  intent: unknown,
  build: () => Promise<{ classified: Classified; selection: Selection; broadcastId: string | null }>,
) {
  const requester = { key: idempotencyKeyOf(request), user: request.user, ip: request.ip };
  const { batch, replayed, statusCode } = await createBatchOnce(deps, requester, intent, build);
  if (replayed) return reply.status(statusCode).header('idempotent-replayed', 'true').send(batch);
  return reply.status(202).send(batch);
}

/** Creates a batch at most once per idempotency key, then tells the audit log and the dispatcher. */
async function createBatchOnce(
  deps: Deps,
  requester: Requester,
  intent: unknown,
  build: () => Promise<{ classified: Classified; selection: Selection; broadcastId: string | null }>,
): Promise<{ batch: ResendBatchDetail; replayed: boolean; statusCode: number }> {
  const {
    value: batch,
    replayed,
    statusCode,
  } = await createOnce(
    deps.idempotency,
    { key: requester.key, scope: 'resend-batches', intent },
    (id) => deps.batches.get(id),
    async (markDone) => {
      const { classified, selection, broadcastId } = await build();
      const id =
        classified.items.length === 0
          ? null
          : await deps.batches.create(
              {
                selection,
                selected: classified.selected,
                skipped: classified.skipped,
                items: classified.items,
                broadcast_id: broadcastId,
                created_by: requester.user ? { id: requester.user.id, name: requester.user.name } : null,
              },
              markDone,
            );
      if (!id) throw new HttpError(409, 'nothing_to_resend', 'Nothing in this selection can be resent now.', { preview: previewOf(classified) });
      return id;
    },
  );
  if (replayed) return { batch, replayed, statusCode };
  await deps.audit.record({
    actor: requester.user,
    action: 'resend_batch_started',
    target: batch.id,
    details: { selection: batch.selection, selected: batch.selected, will_resend: batch.will_resend, skipped: batch.skipped },
    ip: requester.ip,
  });
  deps.dispatcher.notify();
  return { batch, replayed, statusCode: 202 };
}

/**
 * What `POST /api/resend-batches` with `operation_ids` does, for a caller without a request: the
 * leader starting an incident's armed resend on behalf of the person who armed it. The same
 * selection, classification, idempotency and batch, so the same exactly-once sending; `key` is
 * the caller's own, deterministic, so asking twice (a restart, another leader) makes one batch.
 */
export function resendBatchStarter(deps: Deps) {
  return async (input: {
    key: string;
    operationIds: readonly string[];
    user: { id: string; name: string; email: string } | null;
  }): Promise<{ batchId: string } | { refused: string }> => {
    if (input.operationIds.length > RESEND_BATCH_MAX) {
      return {
        refused: `${input.operationIds.length.toLocaleString('en')} failed writes are more than one bulk resend takes (${RESEND_BATCH_MAX.toLocaleString('en')}). Resend them from Operations, filtered to this incident, in parts.`,
      };
    }
    const body = parseInput(createResendBatchRequestSchema, { operation_ids: [...input.operationIds] }, 'bulk resend');
    try {
      const operations = await selectOperations(deps, body);
      const account = input.user ? { id: input.user.id, name: input.user.name } : null;
      const { batch } = await createBatchOnce(deps, { key: input.key, user: input.user, ip: null }, { selection: body }, async () => ({
        classified: await classify(deps, operations, account),
        selection: { kind: 'ids', count: operations.length },
        broadcastId: null,
      }));
      return { batchId: batch.id };
    } catch (error) {
      // A refusal a person would have been shown (nothing left to resend) is the outcome, not a failure to retry.
      if (error instanceof HttpError && error.statusCode < 500 && error.code !== 'request_in_progress') return { refused: error.message };
      throw error;
    }
  };
}
export type ResendBatchStarter = ReturnType<typeof resendBatchStarter>;
