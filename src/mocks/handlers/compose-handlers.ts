import { http, HttpResponse } from 'msw';
import type { Connection, DirectoryUser } from '../../../contracts/directory-schemas.ts';
import { sendMessageRequestSchema } from '../../../contracts/message-schemas.ts';
import { catenaIdSchema, type OperationDetail } from '../../../contracts/operation-schemas.ts';
import { connectionFixtures } from '../fixtures/connection-fixtures.ts';
import { AUTH_ERROR_DETAILS, failsWith, messageOperation } from '../fixtures/message-fixtures.ts';
import { userFixtures } from '../fixtures/user-fixtures.ts';

/**
 * POST /api/messages as the console server answers it: the same checks before anything is sent
 * (server/messages/compose-checks.ts), the same error bodies, idempotency by key, and an
 * operation that is delivered a moment later (or fails `auth` on Coastal Carriers, like the
 * simulator's seeded expired credentials). GET /api/operations/{id} answers for the messages
 * sent here and passes every other id on.
 */

/** An async message is delivered this long after it was sent. */
export const MESSAGE_DELIVERED_AFTER_MS = 1200;

export function errorResponse(status: number, code: string, message: string, details?: unknown) {
  return HttpResponse.json({ error: details === undefined ? { code, message } : { code, message, details } }, { status });
}

export function invalidInput(what: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const details = issues.map((issue) => ({ field: issue.path.map(String).join('.') || null, message: issue.message }));
  const first = details[0];
  return errorResponse(
    400,
    'invalid_input',
    `The ${what} is not valid — ${first?.field ? `${first.field}: ` : ''}${first?.message ?? 'invalid'}`,
    details,
  );
}

type Draft = { connection_id: string; sender_id: string; recipient_ids: readonly string[]; message_text: string };
export type CheckedDraft = { connection: Connection; sender: DirectoryUser; recipients: DirectoryUser[] };

/** The server's compose checks over the fixtures: an error response, or what the draft names. */
export function checkDraft(draft: Draft): { refused: Response } | { checked: CheckedDraft } {
  const connection = connectionFixtures.find((candidate) => candidate.id === draft.connection_id.toLowerCase());
  if (!connection) {
    return { refused: errorResponse(404, 'connection_not_found', 'No such connection is visible to this console.', { field: 'connection_id' }) };
  }
  if (!connection.can_send) {
    return {
      refused: errorResponse(
        422,
        'connection_inactive',
        `${connection.name} (${connection.tsp}) cannot take messages now: ${connection.inactive_reason ?? connection.status}`,
        { field: 'connection_id' },
      ),
    };
  }
  const users = userFixtures.filter((user) => user.connection_id === connection.id);
  const sender = users.find((user) => user.id === draft.sender_id.toLowerCase());
  if (!sender || sender.role !== 'dispatcher') {
    return { refused: errorResponse(422, 'sender_not_dispatcher', `The sender must be a dispatcher of ${connection.name}.`, { field: 'sender_id' }) };
  }
  const recipients: DirectoryUser[] = [];
  const unknown: string[] = [];
  const inactive: string[] = [];
  for (const id of new Set(draft.recipient_ids.map((recipientId) => recipientId.toLowerCase()))) {
    const user = users.find((candidate) => candidate.id === id);
    if (!user || user.role !== 'driver') unknown.push(id);
    else if (!user.is_active) inactive.push(user.name);
    else recipients.push(user);
  }
  if (unknown.length > 0) {
    return {
      refused: errorResponse(
        422,
        'recipient_not_driver',
        `${unknown.length === 1 ? '1 recipient is' : `${unknown.length} recipients are`} not a driver of ${connection.name}.`,
        { field: 'recipient_id', recipient_ids: unknown },
      ),
    };
  }
  if (inactive.length > 0) {
    return {
      refused: errorResponse(422, 'recipient_inactive', `Inactive at the TSP, so the message would fail: ${inactive.join(', ')}.`, {
        field: 'recipient_id',
      }),
    };
  }
  const max = connection.limits.message_text_max;
  if (max !== null && draft.message_text.length > max) {
    return {
      refused: errorResponse(422, 'text_too_long', `${connection.tsp} takes at most ${max} characters; this text has ${draft.message_text.length}.`, {
        field: 'message_text',
        limit: max,
        length: draft.message_text.length,
      }),
    };
  }
  return { checked: { connection, sender, recipients } };
}

type Sent = { spec: Parameters<typeof messageOperation>[0]; status: number; sync: boolean };

/** Messages sent in this session, by operation id, and which key sent which. */
const sent = new Map<string, Sent>();
const byKey = new Map<string, { operationId: string; body: string }>();

/** Where a message sent here stands now: pending for a moment, then delivered or failed. */
function current(message: Sent, now = Date.now()): OperationDetail {
  if (message.sync || now - message.spec.createdMs >= MESSAGE_DELIVERED_AFTER_MS) return messageOperation(message.spec);
  return messageOperation({ ...message.spec, status: 'pending' });
}

export const composeHandlers = [
  http.post('/api/messages', async ({ request }) => {
    const parsed = sendMessageRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return invalidInput('message', parsed.error.issues);
    const message = parsed.data;
    const key = request.headers.get('idempotency-key');
    const bodyText = JSON.stringify(message);
    const replay = key ? byKey.get(key) : undefined;
    if (replay) {
      if (replay.body !== bodyText) {
        return errorResponse(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was already used for a different request. Use a new key for a new message.',
        );
      }
      const earlier = sent.get(replay.operationId);
      if (earlier) return HttpResponse.json(current(earlier), { status: earlier.status, headers: { 'idempotent-replayed': 'true' } });
    }

    const check = checkDraft({ ...message, recipient_ids: [message.recipient_id] });
    if ('refused' in check) return check.refused;
    const failure = failsWith(check.checked.connection);
    const sync = message.is_sync === true;
    const spec = {
      id: crypto.randomUUID(),
      connection: check.checked.connection,
      senderId: message.sender_id,
      recipientId: message.recipient_id,
      text: message.message_text,
      priority: message.priority ?? null,
      replyToMessageId: message.reply_to_message_id ?? null,
      createdMs: Date.now(),
      status: failure ? ('failed' as const) : ('success' as const),
      ...(failure ? { error: { type: failure, details: AUTH_ERROR_DETAILS } } : {}),
    };
    const status = sync ? (failure ? 502 : 200) : 202;
    const record: Sent = { spec, status, sync };
    sent.set(spec.id, record);
    if (key) byKey.set(key, { operationId: spec.id, body: bodyText });
    return HttpResponse.json(current(record), { status });
  }),

  http.get('/api/operations/:id', ({ params }) => {
    const id = String(params.id).toLowerCase();
    if (!catenaIdSchema.safeParse(id).success) return undefined;
    const message = sent.get(id);
    // Not one of ours: the operation detail handler answers for the rest.
    return message ? HttpResponse.json(current(message)) : undefined;
  }),
];
