import { sendMessageRequestSchema, type SendMessageRequest } from '../../contracts/message-schemas.ts';
import type { ChainLink, Operation, OperationDetail, Resendability } from '../../contracts/operation-schemas.ts';
import { chainLinkSchema } from '../../contracts/operation-schemas.ts';
import { repeatRequestOf } from '../operations/repeat-request.ts';
import type { SendStore } from './send-store.ts';

/**
 * The one rule for resending, used by the log drawer, the resend route, broadcasts and bulk
 * resends: only a write the console can repeat (`repeatRequestOf`) whose chain's newest operation failed, and only while no resend of that
 * chain is on its way. A second delivery of a message that succeeded is a new message from Compose.
 */
export type ResendTarget =
  | { ok: true; targetId: string; chainId: string }
  | { ok: false; verdict: Exclude<Resendability['verdict'], 'resendable'>; message: string; newerOperationId: string | null; batchId: string | null };

const STATUS_WORDS: Record<string, string> = { pending: 'Pending', success: 'Succeeded', failed: 'Failed' };

export async function resendTargetOf(
  sends: SendStore,
  op: Pick<OperationDetail, 'id' | 'resource' | 'status' | 'operation_type' | 'connection_id' | 'resource_id' | 'payload'>,
): Promise<ResendTarget> {
  const again = repeatRequestOf(op);
  if (!again.ok) return { ok: false, verdict: 'not_resendable', message: again.reason, newerOperationId: null, batchId: null };
  const chainId = await sends.chainOf(op.id);
  const open = await sends.openSendOf(chainId);
  if (open) {
    return {
      ok: false,
      verdict: 'resend_in_progress',
      message: open.batch_id
        ? 'A resend of this message is queued in a bulk resend; wait for it.'
        : 'A resend of this message is on its way; wait for its outcome.',
      newerOperationId: null,
      batchId: open.batch_id,
    };
  }
  const head = await sends.headOf(op.id, undefined, chainId);
  if (head.id !== op.id) {
    if (head.status === 'failed') return { ok: true, targetId: head.id, chainId };
    return {
      ok: false,
      verdict: 'already_resent',
      message: `Already resent as ${head.id.slice(0, 8)} (${STATUS_WORDS[head.status ?? ''] ?? 'status unknown'}).`,
      newerOperationId: head.id,
      batchId: null,
    };
  }
  if (op.status !== 'failed') {
    return {
      ok: false,
      verdict: 'not_failed',
      message:
        op.status !== 'success'
          ? 'Still pending: Catena is still trying it.'
          : op.resource === 'message'
            ? 'Delivered: to send it again, compose a new message.'
            : 'Succeeded: there is nothing to resend.',
      newerOperationId: null,
      batchId: null,
    };
  }
  return { ok: true, targetId: op.id, chainId };
}

/** What the drawer shows about an operation's chain: every member, and whether Resend is offered. */
export async function chainOf(sends: SendStore, op: OperationDetail): Promise<{ chain: ChainLink[]; resend: Resendability }> {
  const members = await sends.chainMembers(await sends.chainOf(op.id));
  const chain = members
    .filter((m) => m.status !== null && m.created_at !== null && m.updated_at !== null)
    .map((m) => chainLinkSchema.parse({ ...m, sent_by: m.sent_by ?? null }));
  const target = await resendTargetOf(sends, op);
  const resend: Resendability = target.ok
    ? target.targetId === op.id
      ? { verdict: 'resendable', message: 'Failed: it can be resent.', newer_operation_id: null }
      : {
          verdict: 'resendable',
          message: `Resent as ${target.targetId.slice(0, 8)}, which failed too: resending sends that one again.`,
          newer_operation_id: target.targetId,
        }
    : { verdict: target.verdict, message: target.message, newer_operation_id: target.newerOperationId };
  return { chain, resend };
}

/** The message an operation's payload describes, as the console would send it; null when incomplete. */
export function messageOf(op: OperationDetail | Operation): SendMessageRequest | null {
  const payload = op.payload;
  const message = sendMessageRequestSchema.safeParse({
    connection_id: op.connection_id,
    sender_id: payload.sender_id,
    recipient_id: payload.recipient_id,
    message_text: payload.message_text,
    priority: payload.priority ?? undefined,
    reply_to_message_id: payload.reply_to_message_id ?? undefined,
  });
  return message.success ? message.data : null;
}
