import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { catenaOperationSchema } from '../catena/catena-schemas.ts';
import type { Dialect } from '../db/dialect.ts';
import type { UpstreamStatus } from '../health/upstream-status.ts';
import { errorBody } from '../http/http-error.ts';
import { toOperationRecord } from '../operations/operation-record.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import { describeIssue, type RefusedOperations } from '../operations/refused-operations.ts';
import { checkSignature, checkTimestamp, inflateGzipBody, WebhookRejection } from './webhook-verification.ts';

/** Compressed bodies past this are refused before any work; inflated ones past the second cap too. */
const MAX_COMPRESSED_BYTES = 1024 * 1024;
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

const envelopeSchema = z.object({
  version: z.string(),
  event_name: z.string(),
  webhook_id: z.string(),
  id: z.string().nullish(),
  timestamp: z.string().nullish(),
  delivery_attempt: z.number().nullish(),
  data: z.array(z.unknown()),
});

type Deps = {
  /** Says which store errors mean the event can never be stored. */
  dialect: Pick<Dialect, 'isPermanentWriteError'>;
  store: OperationsStore;
  status: UpstreamStatus;
  webhookSecret: string;
  /** Where events that can never be stored are counted. */
  refused: RefusedOperations;
  /** The TSP of a connection, for operations whose event omits `source_name`. */
  sourceNameOf: (connectionId: string) => string | null;
};

/**
 * POST /webhooks/catena. Verifies, de-duplicates and stores an event, and only then answers 202.
 * Catena counts any non-5xx answer as delivered, so a 5xx is kept for "could not store": Catena
 * then delivers again. Refusals are 4xx and store nothing.
 */
export async function registerWebhookRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(async (scope) => {
    // The signature covers the exact bytes, so this route takes the raw body whatever its type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_COMPRESSED_BYTES }, (_request, body, done) => done(null, body));

    scope.post('/webhooks/catena', async (request, reply) => {
      try {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new WebhookRejection(400, 'empty_body', 'The webhook body is empty.');
        }
        const timestamp = header(request.headers['x-catena-timestamp']);
        checkTimestamp(timestamp, Date.now());
        const inflated = await inflateGzipBody(body, MAX_INFLATED_BYTES);
        checkSignature(deps.webhookSecret, timestamp ?? '', inflated, header(request.headers['x-catena-signature']));

        let json: unknown;
        try {
          json = JSON.parse(inflated.toString('utf8'));
        } catch {
          throw new WebhookRejection(400, 'invalid_json', 'The webhook body is not JSON.');
        }
        const envelope = envelopeSchema.safeParse(json);
        if (!envelope.success) throw new WebhookRejection(422, 'invalid_event', 'The webhook body is not a Catena event envelope.');
        deps.status.recordWebhook();

        const event = envelope.data;
        if (!event.event_name.startsWith('resource_operation.')) {
          // Subscribed to by someone else, or a new kind: accepted so Catena does not retry it.
          return reply.status(202).send({ accepted: true, stored: 0 });
        }
        const operations: OperationWithLogs[] = [];
        for (const [index, item] of event.data.entries()) {
          const parsed = catenaOperationSchema.safeParse(item);
          if (!parsed.success) {
            // It will never be valid: answered 4xx so Catena stops delivering it, and counted for admins.
            const reason = describeIssue(parsed.error, `data.${index}`);
            await deps.refused
              .record('webhook', reason)
              .catch((failure: unknown) =>
                request.log.warn({ err: failure instanceof Error ? failure.message : failure }, 'could not count a refused operation'),
              );
            request.log.warn({ event_id: event.id, reason }, 'webhook operation refused: it can never be stored');
            throw new WebhookRejection(422, 'invalid_event', `An operation in the event is not a valid resource operation (${reason}).`);
          }
          operations.push(toOperationRecord(parsed.data, deps.sourceNameOf(parsed.data.connection_id)));
        }

        let duplicate = false;
        let stored = 0;
        try {
          ({ duplicate, stored } = await deps.store.storeEvent({ id: event.id ?? null, name: event.event_name }, operations));
        } catch (error) {
          if (deps.dialect.isPermanentWriteError(error)) {
            const reason = `the store refused it (${(error as { code: string }).code})`;
            await deps.refused
              .record('webhook', reason)
              .catch((failure: unknown) =>
                request.log.warn({ err: failure instanceof Error ? failure.message : failure }, 'could not count a refused operation'),
              );
            request.log.warn({ err: error, event_id: event.id }, 'webhook event refused: the store can never hold it');
            return reply.status(422).send(errorBody('unstorable_event', `The event can never be stored: ${reason}.`));
          }
          request.log.error({ err: error, event_id: event.id }, 'could not store webhook event');
          return reply.status(503).send(errorBody('store_unavailable', 'The event could not be stored; deliver it again.'));
        }
        return reply.status(202).send({ accepted: true, duplicate, stored });
      } catch (error) {
        if (error instanceof WebhookRejection) {
          request.log.warn({ code: error.code }, 'webhook refused');
          return reply.status(error.statusCode).send(errorBody(error.code, error.message));
        }
        throw error;
      }
    });
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
