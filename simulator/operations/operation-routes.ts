import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OPERATION_TYPES, RESOURCE_NAMES, TSP_NAMES } from '../catena/catena-enums.ts';
import { RequestValidationError, notFound, type ValidationErrorDetail } from '../http/catena-errors.ts';
import { paginate } from '../http/cursor-page.ts';
import { queryDatetime, queryEnum, queryGuid, queryInt, queryList, queryString } from '../http/query-params.ts';
import { parseInput, renderInput } from '../http/request-validation.ts';
import { DAY_MS, isoTime } from '../lib/time.ts';
import { operationSortKey, type OperationStore } from './operation-store.ts';
import { toOperationRead } from './operation-views.ts';

/** Catena refuses list windows longer than 45 days. */
export const MAX_WINDOW_DAYS = 45;

const listQuery = z.object({
  resource: queryEnum(RESOURCE_NAMES),
  connection_id: queryGuid(),
  source_name: queryEnum(TSP_NAMES),
  fleet_refs: queryList(z.string().max(200)),
  operation: queryEnum(OPERATION_TYPES),
  source_id: queryString(),
  from_datetime: queryDatetime(),
  to_datetime: queryDatetime(),
  cursor: queryString(),
  size: queryInt(1, 1000, 300),
});

const getParams = z.object({ connection_id: z.guid(), resource_operation_id: z.guid() });

export function registerOperationRoutes(app: FastifyInstance, operations: OperationStore): void {
  app.get('/v2/integrations/connections/resource-operations', async (request) => {
    const raw = request.query as Record<string, unknown>;
    const query = parseInput(listQuery, raw, 'query');
    const now = Date.now();
    // Defaults as documented: from = now − 1 day, to = now (each on its own).
    const from = query.from_datetime ?? now - DAY_MS;
    const to = query.to_datetime ?? now;
    const problems: ValidationErrorDetail[] = [];
    if (query.source_id !== undefined && query.resource === undefined) {
      problems.push({
        path: 'query.source_id',
        input: renderInput(query.source_id),
        message: 'Value error, source_id requires the resource parameter',
        error_type: 'value_error',
      });
    }
    if (from > to) {
      problems.push({
        path: 'query.from_datetime',
        input: renderInput(raw['from_datetime'] ?? isoTime(from)),
        message: `Value error, from_datetime (${isoTime(from)}) must not be after to_datetime (${isoTime(to)})`,
        error_type: 'value_error',
      });
    } else if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
      problems.push({
        path: 'query.to_datetime',
        input: renderInput(raw['to_datetime'] ?? isoTime(to)),
        message: `Value error, to_datetime - from_datetime cannot exceed ${MAX_WINDOW_DAYS} days`,
        error_type: 'value_error',
      });
    }
    if (problems.length > 0) throw new RequestValidationError(problems);
    const items = operations.list({
      resource: query.resource,
      connection_id: query.connection_id,
      source_name: query.source_name,
      fleet_refs: query.fleet_refs,
      operation: query.operation,
      source_id: query.source_id,
      from,
      to,
    });
    const page = paginate(items, operationSortKey, query.cursor, query.size);
    return { ...page, items: page.items.map(toOperationRead) };
  });

  app.get('/v2/integrations/connections/:connection_id/resource-operations/:resource_operation_id', async (request) => {
    const { connection_id, resource_operation_id } = parseInput(getParams, request.params, 'path');
    const op = operations.get(resource_operation_id);
    if (!op || op.connection_id !== connection_id.toLowerCase()) {
      throw notFound(`Resource operation ${resource_operation_id} not found for connection ${connection_id}`);
    }
    return toOperationRead(op);
  });
}
