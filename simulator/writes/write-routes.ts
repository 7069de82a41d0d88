import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { readJsonBody } from '../http/json-body.ts';
import { queryBool } from '../http/query-params.ts';
import { parseInput } from '../http/request-validation.ts';
import { WRITE_ENDPOINTS } from './write-kinds.ts';
import type { WriteService } from './write-service.ts';

const writeQuery = z.object({ is_sync: queryBool() });
const recordParams = z.object({ id: z.guid() });

/** Every Catena write endpoint: POST creates, PATCH …/{id} updates; `?is_sync=true` for one attempt now. */
export function registerWriteRoutes(app: FastifyInstance, writes: WriteService): void {
  for (const endpoint of WRITE_ENDPOINTS) {
    app.route({
      method: endpoint.method,
      url: endpoint.route,
      handler: async (request, reply) => {
        const recordId = endpoint.operation_type === 'update' ? parseInput(recordParams, request.params, 'path').id : null;
        const { is_sync } = parseInput(writeQuery, request.query, 'query');
        const body = parseInput(endpoint.body, readJsonBody(request), 'body');
        const result = await writes.submit(endpoint, body, recordId, is_sync ?? false);
        return reply.code(result.status).send(result.body);
      },
    });
  }
}
