import { http, HttpResponse } from 'msw';
import { catenaIdSchema, type OperationDetail } from '../../../contracts/operation-schemas.ts';
import {
  deliveredResend,
  findOperationDetailFixture,
  resentOperation,
} from '../fixtures/operation-detail-fixtures.ts';
import { recordFixtures, recordViewFixtures } from '../fixtures/record-fixtures.ts';

/** A resend is delivered this long after it was made (so a demo sees it turn from pending to success). */
const RESEND_DELIVERED_AFTER_MS = 1500;

/** Resends made in this session, by Idempotency-Key (a retried intent gets the same answer). */
const resends = new Map<string, { operation: OperationDetail; createdMs: number }>();

/** Forgets the resends made so far (tests call it so each starts from the fixtures). */
export function resetOperationDetailHandlers(): void {
  resends.clear();
}

function current(id: string): OperationDetail | undefined {
  const fixture = findOperationDetailFixture(id) ?? Object.values(recordFixtures).find((candidate) => candidate.id === id.toLowerCase());
  if (fixture) {
    // Like the server, an original lists the resends made of it.
    const made = [...resends.values()].filter((resend) => resend.operation.resend_of === fixture.id);
    return made.length === 0 ? fixture : { ...fixture, resent_as: [...fixture.resent_as, ...made.map((resend) => resend.operation.id)] };
  }
  const made = [...resends.values()].find((resend) => resend.operation.id === id.toLowerCase());
  if (!made) return undefined;
  return Date.now() - made.createdMs >= RESEND_DELIVERED_AFTER_MS
    ? deliveredResend(made.operation, made.createdMs + RESEND_DELIVERED_AFTER_MS)
    : made.operation;
}

function notFound(id: string) {
  return HttpResponse.json(
    {
      error: {
        code: 'operation_not_found',
        message: `No operation ${id} is known to the console. It may be older than the console's store, or belong to another partner.`,
      },
    },
    { status: 404 },
  );
}

export const operationDetailHandlers = [
  http.get('/api/operations/:id/record', ({ params }) => {
    const id = String(params.id);
    const operation = current(id);
    if (!operation) return notFound(id);
    return HttpResponse.json(
      recordViewFixtures[operation.id] ?? { operation_id: operation.id, resource: operation.resource, operation_type: operation.operation_type, record_before: null, changes: [], names: [], newer_update_id: null },
    );
  }),

  http.get('/api/operations/:id', ({ params }) => {
    const id = String(params.id);
    // Not an id (e.g. /api/operations/summary): leave it to the handler for that path.
    if (!catenaIdSchema.safeParse(id).success) return undefined;
    const operation = current(id);
    return operation ? HttpResponse.json(operation) : notFound(id);
  }),

  http.post('/api/operations/:id/resend', ({ params, request }) => {
    const id = String(params.id);
    const original = current(id);
    if (!original) return notFound(id);
    if (original.resource !== 'message' || original.status !== 'failed') {
      return HttpResponse.json(
        {
          error: {
            code: 'not_resendable',
            message: `Only failed message operations can be resent; this one is a ${original.status} ${original.resource} operation.`,
          },
        },
        { status: 409 },
      );
    }
    const key = request.headers.get('idempotency-key') ?? crypto.randomUUID();
    let resend = resends.get(key);
    if (!resend) {
      const createdMs = Date.now();
      resend = { operation: resentOperation(original, crypto.randomUUID(), createdMs), createdMs };
      resends.set(key, resend);
    }
    return HttpResponse.json(resend.operation, { status: 202 });
  }),
];
