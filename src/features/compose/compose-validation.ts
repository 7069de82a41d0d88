import { z } from 'zod';
import { createBroadcastRequestSchema, type CreateBroadcastRequest } from '../../../contracts/broadcast-schemas.ts';
import type { Connection, DirectoryUser } from '../../../contracts/directory-schemas.ts';
import { MESSAGE_TEXT_HARD_LIMIT, sendMessageRequestSchema, type SendMessageRequest } from '../../../contracts/message-schemas.ts';
import { isApiError } from '../../lib/api-client.ts';
import { tspDisplayName } from '../../lib/tsp-name.ts';
import type { ComposeDraft } from './compose-draft-store.ts';

/**
 * What the Compose form checks before sending, and how the server's refusals land beside the
 * field they concern. The checks mirror the server's (server/messages/compose-checks.ts) so a
 * dispatcher learns of a problem before the round trip; the server remains the judge.
 */

/** The form's fields, in the order they appear (the first invalid one gets focus). */
export const composeFields = ['connection', 'sender', 'recipients', 'text'] as const;
export type ComposeField = (typeof composeFields)[number];
export type FieldErrors = Partial<Record<ComposeField, string>>;

export type ComposeContext = {
  /** The chosen connection, when it is one the server knows. */
  connection: Connection | undefined;
  /** The sender last used on this connection (may have stopped being a dispatcher). */
  senderId: string | null;
  /** The connection's dispatchers and drivers; undefined while they load. */
  dispatchers: readonly DirectoryUser[] | undefined;
  drivers: readonly DirectoryUser[] | undefined;
};

const numbers = new Intl.NumberFormat('en-US');
export const formatCount = (n: number) => numbers.format(n);

/** The longest text this connection takes: its TSP's limit when known, never above the console's. */
export function textLimit(connection: Connection | undefined): { max: number; byTsp: boolean } {
  const tspMax = connection?.limits.message_text_max ?? null;
  return tspMax !== null && tspMax < MESSAGE_TEXT_HARD_LIMIT ? { max: tspMax, byTsp: true } : { max: MESSAGE_TEXT_HARD_LIMIT, byTsp: false };
}

export type Recipients =
  | { kind: 'all'; count: number | undefined; inactive: readonly DirectoryUser[] }
  | { kind: 'chosen'; count: number; chosen: readonly DirectoryUser[]; inactive: readonly DirectoryUser[] };

/**
 * Who the draft goes to. Chosen ids that are not drivers of the connection (any more) are left
 * out: a draft restored from another day shows only the drivers it can still name.
 */
export function recipientsOf(draft: ComposeDraft, drivers: readonly DirectoryUser[] | undefined): Recipients {
  if (draft.allDrivers) {
    return { kind: 'all', count: drivers?.filter((driver) => driver.is_active).length, inactive: [] };
  }
  const byId = new Map((drivers ?? []).map((driver) => [driver.id, driver]));
  const chosen = draft.recipientIds.flatMap((id) => byId.get(id) ?? []);
  return { kind: 'chosen', count: chosen.length, chosen, inactive: chosen.filter((driver) => !driver.is_active) };
}

/** Sync and replies are for one driver only. */
export function isSingleRecipient(recipients: Recipients): boolean {
  return recipients.kind === 'chosen' && recipients.count === 1;
}

export function validateDraft(draft: ComposeDraft, context: ComposeContext): FieldErrors {
  const errors: FieldErrors = {};
  const { connection } = context;

  if (!connection) {
    errors.connection = 'Choose the connection to send through.';
  } else if (!connection.can_send) {
    errors.connection = `${connection.name} cannot send messages now: ${connection.inactive_reason ?? `its status is ${connection.status}`}`;
  }

  if (connection) {
    if (!context.senderId) {
      errors.sender = `Choose who sends it: a dispatcher of ${connection.name}.`;
    } else if (context.dispatchers && !context.dispatchers.some((user) => user.id === context.senderId)) {
      errors.sender = `The sender must be a dispatcher of ${connection.name}: choose one.`;
    }
  }

  const recipients = recipientsOf(draft, context.drivers);
  if (recipients.kind === 'all') {
    if (recipients.count === 0 && connection) errors.recipients = `${connection.name} has no active drivers to send to.`;
  } else if (recipients.count === 0) {
    errors.recipients = connection ? `Choose a driver, several drivers, or all drivers of ${connection.name}.` : 'Choose a driver to send to.';
  } else if (recipients.inactive.length > 0) {
    errors.recipients = `Inactive at the TSP, so the message would fail: ${recipients.inactive.map((user) => user.name).join(', ')}. Remove ${recipients.inactive.length === 1 ? 'this driver' : 'these drivers'}.`;
  }

  const text = draft.text;
  const limit = textLimit(connection);
  if (text.trim() === '') {
    errors.text = 'Write a message: the text is empty.';
  } else if (text.length > limit.max) {
    errors.text = limit.byTsp
      ? `${tspDisplayName(connection?.tsp ?? '')} takes at most ${formatCount(limit.max)} characters; this text has ${formatCount(text.length)}.`
      : `The text is longer than ${formatCount(limit.max)} characters (it has ${formatCount(text.length)}).`;
  }
  return errors;
}

export type ComposeRequest = { kind: 'message'; body: SendMessageRequest } | { kind: 'broadcast'; body: CreateBroadcastRequest };

/**
 * The request the draft makes: one message for a single chosen driver, a broadcast for several
 * or all. Checked with the wire schema the server uses; what it refuses comes back as field errors.
 */
export function composeRequest(
  draft: ComposeDraft,
  context: ComposeContext,
): { request: ComposeRequest; errors?: undefined } | { request?: undefined; errors: FieldErrors } {
  const recipients = recipientsOf(draft, context.drivers);
  const connectionId = context.connection?.id ?? draft.connectionId ?? '';
  const senderId = context.senderId ?? '';
  const common = { connection_id: connectionId, sender_id: senderId, message_text: draft.text, priority: draft.priority };

  if (recipients.kind === 'chosen' && recipients.count === 1 && recipients.chosen[0]) {
    const parsed = sendMessageRequestSchema.safeParse({
      ...common,
      recipient_id: recipients.chosen[0].id,
      ...(draft.replyToMessageId ? { reply_to_message_id: draft.replyToMessageId } : {}),
      ...(draft.sync ? { is_sync: true } : {}),
    });
    return parsed.success ? { request: { kind: 'message', body: parsed.data } } : { errors: issuesToFields(parsed.error.issues) };
  }
  const parsed = createBroadcastRequestSchema.safeParse(
    recipients.kind === 'all' ? { ...common, all_drivers: true } : { ...common, recipient_ids: recipients.chosen.map((driver) => driver.id) },
  );
  return parsed.success ? { request: { kind: 'broadcast', body: parsed.data } } : { errors: issuesToFields(parsed.error.issues) };
}

/** Which form field a request field (or a server's `details.field`) belongs to. */
function fieldOf(requestField: unknown): ComposeField | null {
  switch (requestField) {
    case 'connection_id':
      return 'connection';
    case 'sender_id':
      return 'sender';
    case 'recipient_id':
    case 'recipient_ids':
    case 'all_drivers':
      return 'recipients';
    case 'message_text':
      return 'text';
    default:
      return null;
  }
}

function issuesToFields(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path[0]) ?? 'text';
    errors[field] ??= issue.message;
  }
  return errors;
}

export type ServerRefusal = { fields: FieldErrors; form: string | null };

/** `details` of the server's refusals: the field a check names, or `invalid_input`'s list. */
const fieldDetailSchema = z.object({ field: z.string() });
const inputIssuesSchema = z.array(z.object({ field: z.string().nullable().optional(), message: z.string() }));
const retryAfterSchema = z.object({ retry_after_seconds: z.number().positive() });

/**
 * The server's refusal, split into what belongs beside a field (its `details.field`, or each
 * entry of an `invalid_input` list) and what concerns the whole send. Nothing was sent in any of
 * these cases, and the draft stays as it is.
 */
export function serverRefusal(error: unknown): ServerRefusal {
  if (!isApiError(error)) {
    return { fields: {}, form: `Not sent: ${error instanceof Error ? error.message : 'something went wrong.'} Your draft is kept.` };
  }
  const fields: FieldErrors = {};
  const rest: string[] = [];

  const issues = inputIssuesSchema.safeParse(error.details);
  const named = fieldDetailSchema.safeParse(error.details);
  if (issues.success) {
    for (const issue of issues.data) {
      const field = fieldOf(issue.field);
      if (field) fields[field] ??= issue.message;
      else rest.push(issue.message);
    }
  } else if (named.success && fieldOf(named.data.field)) {
    const field = fieldOf(named.data.field);
    if (field) fields[field] = error.message;
  } else {
    rest.push(formMessage(error.code, error.message, error.details));
  }
  return { fields, form: rest.length > 0 ? rest.join(' ') : null };
}

function formMessage(code: string, message: string, details: unknown): string {
  switch (code) {
    case 'request_in_progress':
      return 'This message is still being sent. Wait a moment, then press Send again: it will not be sent twice.';
    case 'idempotency_key_reused':
      return 'This draft changed since it was last sent. Press Send again to send it as a new message.';
    case 'upstream_rate_limited': {
      const retry = retryAfterSchema.safeParse(details);
      return `Catena is limiting requests right now, so nothing was sent. Try again ${retry.success ? `in ${Math.ceil(retry.data.retry_after_seconds)} s` : 'in a moment'}; your draft is kept.`;
    }
    case 'upstream_unreachable':
      return `Catena could not be reached, so nothing was sent. Your draft is kept; try again in a moment. (${message})`;
    default:
      return `Not sent: ${message} Your draft is kept.`;
  }
}
