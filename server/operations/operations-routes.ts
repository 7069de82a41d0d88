import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { catenaIdSchema, operationFiltersSchema, operationListQuerySchema } from '../../contracts/operation-schemas.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { OperationsStore } from './operations-store.ts';

/** The SPA's read side of the operations store. Catena is never called here: the store answers. */
export function registerOperationsRoutes(app: FastifyInstance, store: OperationsStore): void {
  app.get('/api/operations', async (request) => {
    const query = asRecord(request.query);
    const filters = parseInput(operationFiltersSchema, query, 'filter');
    const page = parseInput(operationListQuerySchema, { cursor: query.cursor, limit: query.limit }, 'page request');
    return store.list(filters, page);
  });

  app.get('/api/operations/summary', async (request) => {
    const filters = parseInput(operationFiltersSchema, asRecord(request.query), 'filter');
    return store.summary(filters);
  });

  app.get('/api/operations/:id', async (request) => {
    const { id } = parseInput(z.object({ id: catenaIdSchema }), request.params, 'operation id');
    const operation = store.get(id);
    if (!operation) {
      throw new HttpError(404, 'operation_not_found', `No operation ${id} is known to the console. It may be older than the console's store, or belong to another partner.`);
    }
    return operation;
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
