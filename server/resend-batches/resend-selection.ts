import type { Operation, OperationFilters } from '../../contracts/operation-schemas.ts';
import { RESEND_BATCH_MAX, type ResendSkipReason } from '../../contracts/resend-batch-schemas.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { HttpError } from '../http/http-error.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import { repeatRequestOf, writeLabelOf, type RepeatRequest } from '../operations/repeat-request.ts';
import { messageOf, resendTargetOf, type ResendTarget } from '../sending/resend-chains.ts';
import { newSendOfMessage, type NewSend, type SendStore } from '../sending/send-store.ts';

export type Classified = {
  selected: number;
  skipped: Partial<Record<ResendSkipReason, number>>;
  /** One send per chain to resend: its newest operation, which failed. */
  items: NewSend[];
};

type Deps = { store: OperationsStore; sends: SendStore; directory: DirectoryService };

/** The operations a selection covers: the ids given, or every operation the filter matches (not just a loaded page). */
export async function selectOperations(
  deps: Deps,
  selection: { operation_ids?: string[] | undefined; filter?: OperationFilters | undefined },
): Promise<Operation[]> {
  if (selection.operation_ids) return deps.store.getMany([...new Set(selection.operation_ids.map((id) => id.toLowerCase()))]);
  const page = await deps.store.list(selection.filter ?? {}, { limit: RESEND_BATCH_MAX + 1, sort: 'created_at', order: 'desc' });
  if (page.items.length > RESEND_BATCH_MAX) {
    throw new HttpError(
      422,
      'selection_too_large',
      `This filter matches more than ${RESEND_BATCH_MAX} operations; narrow it (a connection, an error type, a time range) and resend in parts.`,
    );
  }
  return page.items;
}

/**
 * Decides, for each selected operation, whether it is resent or skipped and why — by the same
 * rule as the drawer's Resend (`resendTargetOf`), plus what makes a bulk resend pointless: an
 * error resending cannot fix, or a connection or person that cannot take the message now.
 */
export async function classify(deps: Deps, operations: readonly Operation[], account: { id: string; name: string } | null): Promise<Classified> {
  const skipped: Partial<Record<ResendSkipReason, number>> = {};
  const skip = (reason: ResendSkipReason) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const items: NewSend[] = [];
  const chains = new Set<string>();
  const known = new Map(operations.map((op) => [op.id, op]));
  const targets = new Map<string, ResendTarget>();
  for (const op of operations) targets.set(op.id, await resendTargetOf(deps.sends, op));
  const newer = await deps.store.getMany(
    operations.flatMap((op) => {
      const target = targets.get(op.id);
      return target?.ok && target.targetId !== op.id && !known.has(target.targetId) ? [target.targetId] : [];
    }),
  );
  for (const op of newer) known.set(op.id, op);

  for (const op of operations) {
    const target = targets.get(op.id);
    if (!target) continue;
    if (!target.ok) {
      skip(target.verdict === 'not_failed' ? 'not_failed' : target.verdict === 'not_resendable' ? 'not_resendable' : 'already_resent');
      continue;
    }
    if (chains.has(target.chainId)) {
      skip('same_chain');
      continue;
    }
    const resent = known.get(target.targetId);
    const again = resent ? repeatRequestOf(resent) : null;
    if (!resent || !again?.ok) {
      skip('not_resendable');
      continue;
    }
    if (resent.last_error_type === 'validation') {
      skip('not_fixable');
      continue;
    }
    const item = await itemFor(deps.directory, resent, again);
    if (!item) {
      skip('connection_cannot_send');
      continue;
    }
    chains.add(target.chainId);
    items.push({ ...item, resend_of: resent.id, account_id: account?.id ?? null, account_name: account?.name ?? null });
  }
  return { selected: operations.length, skipped, items };
}

/**
 * The send that writes `op` again, when its connection can take writes now — and, for a message,
 * its sender and recipient are still a dispatcher and an active driver of it.
 */
async function itemFor(directory: DirectoryService, op: Operation, again: Extract<RepeatRequest, { ok: true }>): Promise<NewSend | null> {
  const connection = await directory.getConnection(op.connection_id);
  if (!connection?.can_send) return null;
  const message = op.resource === 'message' ? messageOf(op) : null;
  if (!message) {
    return { resource: op.resource, request: again.request, connection_id: connection.id, recipient_name: writeLabelOf(op) };
  }
  const users = await directory.listUsers(connection.id);
  const sender = users.find((u) => u.id === message.sender_id.toLowerCase());
  const recipient = users.find((u) => u.id === message.recipient_id.toLowerCase());
  if (sender?.role !== 'dispatcher' || recipient?.role !== 'driver' || !recipient.is_active) return null;
  return { ...newSendOfMessage(message), recipient_name: recipient.name };
}
