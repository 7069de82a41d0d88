import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { catenaIdSchema, operationFiltersSchema, operationListQuerySchema, operationTimelineQuerySchema } from '../../contracts/operation-schemas.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { ReadQueue } from '../http/read-queue.ts';
import { chainOf } from '../sending/resend-chains.ts';
import type { SendStore } from '../sending/send-store.ts';
import { parseSearch, type OperationsStore } from './operations-store.ts';
import { recordViewOf, type RecordReader } from './record-view.ts';
import type { WatchedOperations } from './watched-operations.ts';

/** The SPA's read side of the operations store. Catena is never called here: the store answers. */
export function registerOperationsRoutes(
  app: FastifyInstance,
  store: OperationsStore,
  sends: SendStore,
  /** Called before a search by words, so the names of drivers and vehicles are known to the store. */
  beforeNameSearch: () => Promise<void> = async () => {},
  reads: ReadQueue = new ReadQueue(),
  /** A pending operation someone opens is read again from Catena while they watch it. */
  watched: Pick<WatchedOperations, 'watch'> = { watch: () => undefined },
  /** How many attempts Catena makes at most, as far as the console knows (null: it does not). */
  attemptsExpected: number | null = null,
): void {
  const view = { config: { access: 'view' as const } };
  const warmForSearch = async (q: string | undefined) => {
    if (q && parseSearch(q).kind === 'text') await beforeNameSearch().catch(() => undefined);
  };
  app.get('/api/operations', view, async (request) => {
    const query = asRecord(request.query);
    const filters = parseInput(operationFiltersSchema, query, 'filter');
    await warmForSearch(filters.q);
    const { cursor, limit, sort, order } = query;
    const page = parseInput(operationListQuerySchema, { cursor, limit, sort, order }, 'page request');
    return reads.run(() => store.list(filters, page));
  });

  app.get('/api/operations/timeline', view, async (request) => {
    const query = asRecord(request.query);
    const filters = parseInput(operationFiltersSchema, query, 'filter');
    const { buckets } = parseInput(operationTimelineQuerySchema, { buckets: query.buckets }, 'timeline request');
    const to = filters.to ?? new Date().toISOString();
    const from = filters.from ?? new Date(Date.parse(to) - 24 * 60 * 60 * 1000).toISOString();
    if (Date.parse(to) - Date.parse(from) > MAX_TIMELINE_RANGE_MS) {
      throw new HttpError(400, 'range_too_long', 'The timeline covers at most 90 days; choose a shorter range.');
    }
    return reads.run(() => store.timeline(filters, { from, to, buckets }));
  });

  app.get('/api/operations/summary', view, async (request) => {
    const filters = parseInput(operationFiltersSchema, asRecord(request.query), 'filter');
    await warmForSearch(filters.q);
    return reads.run(() => store.summary(filters));
  });

  app.get('/api/operations/facets', view, async (request) => {
    const filters = parseInput(operationFiltersSchema, asRecord(request.query), 'filter');
    await warmForSearch(filters.q);
    return reads.run(() => store.facets(filters));
  });

  app.get('/api/operations/failures', view, async (request) => {
    const { from } = parseInput(z.object({ from: z.iso.datetime({ offset: true }).optional() }), asRecord(request.query), 'failures request');
    const since = from ?? new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();
    return { from: new Date(since).toISOString(), items: await store.failuresByConnection(since) };
  });

  app.get('/api/operations/:id', view, async (request) => {
    const { id } = parseInput(z.object({ id: catenaIdSchema }), request.params, 'operation id');
    const operation = await store.get(id);
    if (!operation) {
      throw new HttpError(
        404,
        'operation_not_found',
        `No operation ${id} is known to the console. It may be older than the console's store, or belong to another partner.`,
      );
    }
    const { chain, resend } = await chainOf(sends, operation);
    // The drawer polls while this operation or its chain's newest send is pending: both are watched.
    const newest = chain.at(-1);
    watched.watch([operation, ...(newest && newest.id !== operation.id ? [{ ...newest, connection_id: operation.connection_id }] : [])]);
    // A resend belongs to the broadcast its chain's first send was part of.
    const first = chain[0] && chain[0].id !== operation.id ? await store.get(chain[0].id) : null;
    return { ...operation, broadcast_id: operation.broadcast_id ?? first?.broadcast_id ?? null, chain, resend, attempts_expected: attemptsExpected };
  });
}

const MAX_TIMELINE_RANGE_MS = 90 * 24 * 60 * 60 * 1000;

const queryRecordSchema = z.record(z.string(), z.unknown()).catch({});

function asRecord(value: unknown): Record<string, unknown> {
  return queryRecordSchema.parse(value);
}

/** The drawer's record view of an operation: the record as it was, the changes, the names of its ids. */
export function registerOperationRecordRoute(
  app: FastifyInstance,
  deps: { store: OperationsStore; readRecord: RecordReader; warmNames: (connectionIds: string[]) => Promise<void> },
): void {
  app.get('/api/operations/:id/record', { config: { access: 'view' as const } }, async (request) => {
    const { id } = parseInput(z.object({ id: catenaIdSchema }), request.params, 'operation id');
    const operation = await deps.store.get(id);
    if (!operation) {
      throw new HttpError(
        404,
        'operation_not_found',
        `No operation ${id} is known to the console. It may be older than the console's store, or belong to another partner.`,
      );
    }
    return recordViewOf(operation, deps);
  });
}
