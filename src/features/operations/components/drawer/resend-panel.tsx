import { useMutation, useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { capabilities } from '../../../../../contracts/access-schemas.ts';
import type { Connection } from '../../../../../contracts/directory-schemas.ts';
import type { OperationDetail } from '../../../../../contracts/operation-schemas.ts';
import { Button } from '../../../../components/ui/button.tsx';
import { ArrowLeftIcon, ArrowRightIcon, SendIcon } from '../../../../components/ui/icons.tsx';
import { errorMessage } from '../../../../lib/api-client.ts';
import { newIdempotencyKey } from '../../../../lib/idempotency-key.ts';
import { roleLabels } from '../../../../lib/roles.ts';
import { useCan } from '../../../../lib/use-session.ts';
import { operationDetailMutations, operationDetailQueries } from '../../api/operation-detail-queries.ts';
import type { ResendVerdict } from './error-explanations.ts';
import { OperationStatusBadge } from '../../../../components/ui/operation-badges.tsx';
import { ResendDialog } from './resend-dialog.tsx';

/** "Admin, Dispatcher or Support": who may resend, from the capabilities table the server enforces. */
const RESEND_ROLES = (() => {
  const labels = capabilities.resend.map((role) => roleLabels[role]);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : (labels[0] ?? '');
})();

/** Links to follow at most: a message resent more often than this is a story for the list. */
const MAX_LINKS = 5;

type Props = {
  operation: OperationDetail;
  verdict: ResendVerdict;
  sender: string;
  recipient: string;
  connection: Connection | undefined;
  tsp: string;
  onOpenOperation: (id: string) => void;
};

/**
 * The links between a failed message and its resends, both ways, each with the status of the
 * other end (followed live while pending); and, for a failed message, "Resend…".
 */
export function ResendPanel({ operation, verdict, sender, recipient, connection, tsp, onOpenOperation }: Props) {
  const resend = useMutation(operationDetailMutations.resend());
  const [confirming, setConfirming] = useState(false);
  // One key per intent: made when the person first asks, kept for every retry of that intent,
  // dropped once it went through (another resend is another intent).
  const [intentKey, setIntentKey] = useState<string | null>(null);

  // The server refuses a resend to a role without the capability; the button is not offered either.
  const mayResend = useCan('resend');
  const resendable = operation.resource === 'message' && operation.status === 'failed';
  const canResend = resendable && mayResend;
  const justResent = resend.data?.resend_of === operation.id ? resend.data.id : null;
  const resentAs = justResent && !operation.resent_as.includes(justResent) ? [...operation.resent_as, justResent] : operation.resent_as;
  const linked = [...(operation.resend_of ? [operation.resend_of] : []), ...resentAs].slice(0, MAX_LINKS + 1);
  const linkedStatus = useQueries({
    queries: linked.map((id) => operationDetailQueries.detail(id)),
    combine: (results) => new Map(linked.map((id, index) => [id, results[index]?.data?.status])),
  });

  if (!resendable && linked.length === 0) return null;

  const open = () => {
    if (resend.isError) resend.reset();
    setIntentKey((key) => key ?? newIdempotencyKey());
    setConfirming(true);
  };
  const confirm = () => {
    const idempotencyKey = intentKey ?? newIdempotencyKey();
    setIntentKey(idempotencyKey);
    resend.mutate(
      { operationId: operation.id, idempotencyKey },
      {
        onSuccess: () => {
          setIntentKey(null);
          setConfirming(false);
        },
      },
    );
  };

  return (
    <div className="space-y-3">
      {operation.resend_of || resentAs.length > 0 ? (
        <ul className="space-y-1.5 text-sm">
          {operation.resend_of ? (
            <LinkItem
              id={operation.resend_of}
              label="Resend of"
              direction="back"
              status={linkedStatus.get(operation.resend_of)}
              onOpen={onOpenOperation}
            />
          ) : null}
          {resentAs.slice(0, MAX_LINKS).map((id) => (
            <LinkItem key={id} id={id} label="Resent as" direction="forward" status={linkedStatus.get(id)} onOpen={onOpenOperation} />
          ))}
          {resentAs.length > MAX_LINKS ? (
            <li className="text-slate-500 dark:text-slate-400">and {resentAs.length - MAX_LINKS} more resends</li>
          ) : null}
        </ul>
      ) : null}

      {canResend ? (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <Button variant={verdict.tone === 'danger' ? 'secondary' : 'primary'} onClick={open}>
            <SendIcon className="size-4" />
            {resentAs.length > 0 ? 'Resend again…' : 'Resend message…'}
          </Button>
          <p className="text-xs text-slate-600 dark:text-slate-400">Sends the same message as a new operation, after you confirm.</p>
        </div>
      ) : null}

      {resendable && !mayResend ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Resending needs the {RESEND_ROLES} role; ask someone with it if this message should go out again.
        </p>
      ) : null}

      {justResent && !confirming ? (
        <p aria-hidden="true" className="text-sm font-medium text-emerald-800 dark:text-emerald-300">
          Resent: the new operation is linked above. Open it to follow it.
        </p>
      ) : null}
      {/* Always in the page, so the news is announced when it arrives. */}
      <p role="status" className="sr-only">
        {justResent && !confirming ? 'Resent as a new operation. Its link is above the Resend button.' : ''}
      </p>
      {resend.isError && !confirming ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          The resend did not go through: {errorMessage(resend.error)}
        </p>
      ) : null}

      {confirming ? (
        <ResendDialog
          verdict={verdict}
          sender={sender}
          recipient={recipient}
          connection={connection}
          tsp={tsp}
          resentBefore={resentAs.length}
          pending={resend.isPending}
          error={resend.error}
          onConfirm={confirm}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

function LinkItem({
  id,
  label,
  direction,
  status,
  onOpen,
}: {
  id: string;
  label: string;
  direction: 'back' | 'forward';
  status: OperationDetail['status'] | undefined;
  onOpen: (id: string) => void;
}) {
  const Icon = direction === 'back' ? ArrowLeftIcon : ArrowRightIcon;
  return (
    <li className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        onClick={() => onOpen(id)}
        title={`Open operation ${id}`}
        className="inline-flex items-center gap-1.5 rounded font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
      >
        <Icon className="size-4" />
        {label} <span className="font-mono text-[13px]">{id.slice(0, 8)}…</span>
      </button>
      {status ? <OperationStatusBadge status={status} /> : null}
    </li>
  );
}
