import { http, HttpResponse } from 'msw';
import { createBroadcastRequestSchema } from '../../../contracts/broadcast-schemas.ts';
import { catenaIdSchema } from '../../../contracts/operation-schemas.ts';
import type { ResendBatchDetail } from '../../../contracts/resend-batch-schemas.ts';
import {
  BEING_RESENT,
  broadcastDetailAt,
  broadcastResendBatch,
  NOTHING_TO_RESEND,
  newMockBroadcast,
  recipientOperationAt,
  seededBroadcasts,
  type MockBroadcast,
} from '../fixtures/broadcast-fixtures.ts';
import { AUTH_ERROR_DETAILS, failsWith } from '../fixtures/message-fixtures.ts';
import { userFixtures } from '../fixtures/user-fixtures.ts';
import { checkDraft, errorResponse, invalidInput } from './compose-handlers.ts';

/**
 * /api/broadcasts as the console server answers it: create (the compose checks, idempotency by
 * key, 202 with every recipient queued), list (newest first, cursor pages), detail (recipients
 * moving from queued to final over a few seconds) and resend to failed recipients (a bulk
 * resend, or 409 when the fixture says none is left to resend). GET /api/operations/{id} answers for the recipients' messages and passes every
 * other id on.
 */

/** Broadcasts of this session, newest first, starting from the seeded stories. */
const broadcasts: MockBroadcast[] = Object.values(seededBroadcasts).sort((a, b) => b.createdMs - a.createdMs);
const byKey = new Map<string, { broadcastId: string; body: string }>();
const batchesByKey = new Map<string, ResendBatchDetail>();

function find(id: string): MockBroadcast | undefined {
  return broadcasts.find((broadcast) => broadcast.id === id.toLowerCase());
}

function notFound(id: string) {
  return errorResponse(404, 'broadcast_not_found', `No broadcast ${id} is known to the console.`);
}

/** A repeated key: the same broadcast again, or 422 when the key came with another request. */
function replayed(key: string | null, body: string) {
  const earlier = key ? byKey.get(key) : undefined;
  if (!earlier) return null;
  if (earlier.body !== body) {
    return errorResponse(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request. Use a new key for a new broadcast.',
    );
  }
  const broadcast = find(earlier.broadcastId);
  return broadcast ? HttpResponse.json(broadcastDetailAt(broadcast), { status: 202, headers: { 'idempotent-replayed': 'true' } }) : null;
}

function remember(broadcast: MockBroadcast, key: string | null, body: string) {
  broadcasts.unshift(broadcast);
  if (key) byKey.set(key, { broadcastId: broadcast.id, body });
}

export const broadcastHandlers = [
  http.post('/api/broadcasts', async ({ request }) => {
    const parsed = createBroadcastRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return invalidInput('broadcast', parsed.error.issues);
    const body = parsed.data;
    const key = request.headers.get('idempotency-key');
    const bodyText = JSON.stringify(body);
    const replay = replayed(key, bodyText);
    if (replay) return replay;

    const recipientIds = body.all_drivers
      ? userFixtures
          .filter((user) => user.connection_id === body.connection_id.toLowerCase() && user.role === 'driver' && user.is_active)
          .map((user) => user.id)
      : (body.recipient_ids ?? []);
    if (recipientIds.length === 0) {
      return errorResponse(422, 'no_recipients', 'This connection has no active drivers to send to.', { field: 'recipient_ids' });
    }
    const check = checkDraft({ ...body, recipient_ids: recipientIds });
    if ('refused' in check) return check.refused;
    const { connection, sender, recipients } = check.checked;
    const failure = failsWith(connection);
    const broadcast = newMockBroadcast({
      id: crypto.randomUUID(),
      createdMs: Date.now(),
      connection,
      sender: { id: sender.id, name: sender.name },
      text: body.message_text,
      priority: body.priority ?? null,
      allDrivers: body.all_drivers === true,
      recipients: recipients.map((user) => ({
        id: user.id,
        name: user.name,
        retries: 0,
        fails: failure ? { type: failure, details: AUTH_ERROR_DETAILS } : null,
      })),
      resendOf: null,
      // What the server will say once they settled: every one failed (Coastal's credentials), or none.
      ...(failure ? { resendFailed: { count: recipients.length, reason: null } } : {}),
    });
    remember(broadcast, key, bodyText);
    return HttpResponse.json(broadcastDetailAt(broadcast), { status: 202 });
  }),

  http.get('/api/broadcasts', ({ request }) => {
    const params = new URL(request.url).searchParams;
    const connectionId = params.get('connection_id')?.toLowerCase();
    const limit = Math.min(Math.max(Number(params.get('limit') ?? 50) || 50, 1), 200);
    const offset = Number(params.get('cursor') ?? 0) || 0;
    const matching = broadcasts.filter((broadcast) => !connectionId || broadcast.connection.id === connectionId);
    const page = matching.slice(offset, offset + limit);
    return HttpResponse.json({
      items: page.map((broadcast) => {
        const { recipients: _recipients, ...summary } = broadcastDetailAt(broadcast);
        return summary;
      }),
      next_cursor: offset + limit < matching.length ? String(offset + limit) : null,
    });
  }),

  http.get('/api/broadcasts/:id', ({ params }) => {
    const id = String(params.id);
    if (!catenaIdSchema.safeParse(id).success) {
      return errorResponse(400, 'invalid_input', 'The broadcast id is not valid — id: Invalid GUID', [{ field: 'id', message: 'Invalid GUID' }]);
    }
    const broadcast = find(id);
    return broadcast ? HttpResponse.json(broadcastDetailAt(broadcast)) : notFound(id);
  }),

  http.post('/api/broadcasts/:id/resend-failed', ({ params, request }) => {
    const id = String(params.id);
    const original = find(id);
    if (!original) return notFound(id);
    const key = request.headers.get('idempotency-key');
    const earlier = key ? batchesByKey.get(key) : undefined;
    if (earlier) return HttpResponse.json(earlier, { status: 202, headers: { 'idempotent-replayed': 'true' } });
    // The fixture's own answer: how many the server would resend, and why none.
    if (original.resendFailed.count === 0) {
      return errorResponse(409, 'nothing_to_resend', original.resendFailed.reason ?? NOTHING_TO_RESEND);
    }
    const batch = broadcastResendBatch(original, crypto.randomUUID(), Date.now());
    original.resendBatchIds.push(batch.id);
    original.resendFailed = { count: 0, reason: BEING_RESENT };
    if (key) batchesByKey.set(key, batch);
    return HttpResponse.json(batch, { status: 202 });
  }),

  http.get('/api/operations/:id', ({ params }) => {
    const id = String(params.id).toLowerCase();
    if (!catenaIdSchema.safeParse(id).success) return undefined;
    for (const broadcast of broadcasts) {
      const operation = recipientOperationAt(broadcast, id);
      if (operation) return HttpResponse.json(operation);
    }
    // Not a broadcast recipient's: the operation detail handler answers for the rest.
    return undefined;
  }),
];
