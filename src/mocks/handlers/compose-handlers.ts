import { http, HttpResponse } from 'msw';
import { sendMessageRequestSchema, type SendMessageRequest } from '../../../contracts/message-schemas.ts';
import { catenaIdSchema } from '../../../contracts/operation-schemas.ts';
import { sentMessageOperation } from '../fixtures/message-fixtures.ts';

/**
 * POST /api/messages answers every message it is sent as accepted: 202 with the message pending
 * (200 delivered when sent `is_sync`), built from the request by the message fixtures. GET
 * /api/operations/{id} answers a message sent here as delivered, and passes every other id on.
 * The server's checks, its refusals, idempotent replays and failures at the TSP are a test's own
 * `server.use(...)`.
 */

/** The messages sent here, by operation id: what was asked, and when. */
const sent = new Map<string, { request: SendMessageRequest; createdMs: number }>();

export const composeHandlers = [
  http.post('/api/messages', async ({ request }) => {
    const message = sendMessageRequestSchema.parse(await request.json());
    const id = crypto.randomUUID();
    const createdMs = Date.now();
    sent.set(id, { request: message, createdMs });
    if (message.is_sync === true) return HttpResponse.json(sentMessageOperation(message, { id, createdMs, status: 'success' }));
    return HttpResponse.json(sentMessageOperation(message, { id, createdMs, status: 'pending' }), { status: 202 });
  }),

  http.get('/api/operations/:id', ({ params }) => {
    const id = String(params.id).toLowerCase();
    if (!catenaIdSchema.safeParse(id).success) return undefined;
    const message = sent.get(id);
    // Not one of ours: the operation detail handler answers for the rest.
    return message ? HttpResponse.json(sentMessageOperation(message.request, { id, createdMs: message.createdMs, status: 'success' })) : undefined;
  }),
];
