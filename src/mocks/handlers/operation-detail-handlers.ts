import { http, HttpResponse } from 'msw';
import { catenaIdSchema, type OperationDetail } from '../../../contracts/operation-schemas.ts';
import { chainWith, deliveredResend, findOperationDetailFixture, resentOperation } from '../fixtures/operation-detail-fixtures.ts';
import { apiErrorResponse } from '../api-error-response.ts';
import { recordFixtures, recordViewFixtures } from '../fixtures/record-fixtures.ts';

/**
 * GET /api/operations/{id} (and its record) answered with the operation detail and record
 * fixtures; POST /api/operations/{id}/resend answers with the fixture's own verdict: 409 with the
 * server's words when the fixture says it cannot be resent, else 202 with a new pending resend,
 * which the original's chain then holds and which is delivered a moment later. Other answers
 * (a refusal the fixture does not hold, a send in doubt, a replay) are a test's own
 * `server.use(...)`.
 */

/** A resend is delivered this long after it was made (so a test sees it turn from pending to success). */
const RESEND_DELIVERED_AFTER_MS = 1500;

/** Resends made here: the operation resent, its resend, and when. */
const resends: { original: OperationDetail; operation: OperationDetail; createdMs: number }[] = [];

/** Forgets the resends made so far (tests call it so each starts from the fixtures). */
export function resetOperationDetailHandlers(): void {
  resends.length = 0;
}

/** The fixture, or the chain it grew into once resent here (the resend delivered after a moment). */
function current(id: string): OperationDetail | undefined {
  const wanted = id.toLowerCase();
  for (const made of resends) {
    const newest =
      Date.now() - made.createdMs >= RESEND_DELIVERED_AFTER_MS
        ? deliveredResend(made.operation, made.createdMs + RESEND_DELIVERED_AFTER_MS)
        : made.operation;
    const found = chainWith([made.original], newest).find((operation) => operation.id === wanted);
    if (found) return found;
  }
  return findOperationDetailFixture(wanted) ?? Object.values(recordFixtures).find((candidate) => candidate.id === wanted);
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
      recordViewFixtures[operation.id] ?? {
        operation_id: operation.id,
        resource: operation.resource,
        operation_type: operation.operation_type,
        record_before: null,
        changes: [],
        names: [],
        newer_update_id: null,
      },
    );
  }),

  http.get('/api/operations/:id', ({ params }) => {
    const id = String(params.id);
    // Not an id (e.g. /api/operations/summary): leave it to the handler for that path.
    if (!catenaIdSchema.safeParse(id).success) return undefined;
    const operation = current(id);
    return operation ? HttpResponse.json(operation) : notFound(id);
  }),

  http.post('/api/operations/:id/resend', ({ params }) => {
    const id = String(params.id);
    const original = current(id);
    if (!original) return notFound(id);
    // The fixture's verdict answers: the server's words for why not, and the newer operation.
    const verdict = original.resend;
    if (verdict && verdict.verdict !== 'resendable') {
      const details = verdict.newer_operation_id ? { operation_id: verdict.newer_operation_id } : undefined;
      return apiErrorResponse(409, verdict.verdict, verdict.message, { details });
    }
    const createdMs = Date.now();
    const made = { original, operation: resentOperation(original, crypto.randomUUID(), createdMs), createdMs };
    resends.push(made);
    return HttpResponse.json(chainWith([original], made.operation).at(-1), { status: 202 });
  }),
];
