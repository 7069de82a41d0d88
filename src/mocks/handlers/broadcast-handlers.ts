import { http, HttpResponse } from 'msw';
import { createBroadcastRequestSchema } from '../../../contracts/broadcast-schemas.ts';
import { catenaIdSchema } from '../../../contracts/operation-schemas.ts';
import { apiErrorResponse } from '../api-error-response.ts';
import {
  broadcastDetailAt,
  broadcastFrom,
  broadcastListFixture,
  broadcastResendBatch,
  NOTHING_TO_RESEND,
  recipientOperationAt,
  seededBroadcasts,
  type MockBroadcast,
} from '../fixtures/broadcast-fixtures.ts';

/**
 * /api/broadcasts answered with fixtures: create answers 202 with the broadcast built from the
 * request, the list answers the seeded broadcasts (whatever the query asks), the detail answers
 * a seeded broadcast or one made here (its recipients settling over a few seconds, as the
 * fixture tells), and "resend to failed" answers what the broadcast's fixture says of it (a bulk
 * resend, or 409 with the fixture's reason). GET /api/operations/{id} answers for the
 * recipients' messages and passes every other id on. The server's checks, idempotent replays,
 * paging and filtering are a test's own `server.use(...)`.
 */

/** The broadcasts made here, by id. */
const made = new Map<string, MockBroadcast>();

function find(id: string): MockBroadcast | undefined {
  const wanted = id.toLowerCase();
  return made.get(wanted) ?? Object.values(seededBroadcasts).find((broadcast) => broadcast.id === wanted);
}

function notFound(id: string) {
  return apiErrorResponse(404, 'broadcast_not_found', `No broadcast ${id} is known to the console.`);
}

export const broadcastHandlers = [
  http.post('/api/broadcasts', async ({ request }) => {
    const broadcast = broadcastFrom(createBroadcastRequestSchema.parse(await request.json()), crypto.randomUUID(), Date.now());
    made.set(broadcast.id, broadcast);
    return HttpResponse.json(broadcastDetailAt(broadcast), { status: 202 });
  }),

  http.get('/api/broadcasts', () => HttpResponse.json({ items: broadcastListFixture(), next_cursor: null })),

  http.get('/api/broadcasts/:id', ({ params }) => {
    const id = String(params.id);
    const broadcast = find(id);
    return broadcast ? HttpResponse.json(broadcastDetailAt(broadcast)) : notFound(id);
  }),

  http.post('/api/broadcasts/:id/resend-failed', ({ params }) => {
    const id = String(params.id);
    const original = find(id);
    if (!original) return notFound(id);
    // The fixture's own answer: how many the server would resend, and why none.
    if (original.resendFailed.count === 0) {
      return apiErrorResponse(409, 'nothing_to_resend', original.resendFailed.reason ?? NOTHING_TO_RESEND);
    }
    return HttpResponse.json(broadcastResendBatch(original, crypto.randomUUID(), Date.now()), { status: 202 });
  }),

  http.get('/api/operations/:id', ({ params }) => {
    const id = String(params.id).toLowerCase();
    if (!catenaIdSchema.safeParse(id).success) return undefined;
    for (const broadcast of [...made.values(), ...Object.values(seededBroadcasts)]) {
      const operation = recipientOperationAt(broadcast, id);
      if (operation) return HttpResponse.json(operation);
    }
    // Not a broadcast recipient's: the operation detail handler answers for the rest.
    return undefined;
  }),
];
