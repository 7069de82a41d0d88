import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { capabilities } from '../../../../../contracts/access-schemas.ts';
import type { Connection } from '../../../../../contracts/directory-schemas.ts';
import type { ChainLink, OperationDetail } from '../../../../../contracts/operation-schemas.ts';
import { Button } from '../../../../components/ui/button.tsx';
import { ArrowRightIcon, SendIcon } from '../../../../components/ui/icons.tsx';
import { OperationStatusBadge } from '../../../../components/ui/operation-badges.tsx';
import { SendCheckNotice } from '../../../../components/ui/send-check-notice.tsx';
import { Timestamp } from '../../../../components/ui/timestamp.tsx';
import { errorMessage, isApiError } from '../../../../lib/api-client.ts';
import { newIdempotencyKey } from '../../../../lib/idempotency-key.ts';
import { roleLabels } from '../../../../lib/roles.ts';
import { isSettled, sendInDoubt, sendQueries } from '../../../../lib/send-queries.ts';
import { useNow } from '../../../../lib/use-now.ts';
import { useCan } from '../../../../lib/use-session.ts';
import { useTimeDisplay } from '../../../../stores/preferences-store.ts';
import { operationDetailMutations } from '../../api/operation-detail-queries.ts';
import { operationQueries } from '../../api/operation-queries.ts';
import type { ResendVerdict } from './error-explanations.ts';
import { resourceLabel } from '../operation-looks.tsx';
import { ResendDialog } from './resend-dialog.tsx';

/** "Admin, Dispatcher or Support": who may resend, from the capabilities table the server enforces. */
const RESEND_ROLES = (() => {
  const labels = capabilities.resend.map((role) => roleLabels[role]);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : (labels[0] ?? '');
})();

/** Sends of one message listed at most: a message resent more often than this is a story for the list. */
const MAX_CHAIN = 8;

const shortId = (id: string) => `${id.slice(0, 8)}…`;

type Props = {
  operation: OperationDetail;
  /** How safe a resend is given the errors met (shown in the confirmation); whether it may happen is the server's `resend`. */
  verdict: ResendVerdict;
  sender: string;
  recipient: string;
  connection: Connection | undefined;
  tsp: string;
  onOpenOperation: (id: string) => void;
};

/**
 * The message's chain (its first send and every resend, each opening in the drawer) and whether
 * it may be resent, as the server decided (`resend`): "Resend message…" only when it says
 * `resendable`, otherwise its reason ("Already resent as …") with the newer operation to open.
 * A resend whose answer never came is in doubt, not failed: checked with Catena until settled.
 */
export function ResendPanel({ operation, verdict, sender, recipient, connection, tsp, onOpenOperation }: Props) {
  const client = useQueryClient();
  const resend = useMutation(operationDetailMutations.resend());
  const [confirming, setConfirming] = useState(false);
  // One key per intent: made when the person first asks, kept for every retry of that intent
  // (including after a send in doubt settled as not sent), dropped once Catena has it.
  const [intentKey, setIntentKey] = useState<string | null>(null);
  const mayResend = useCan('resend');

  const resendability = operation.resend;
  const chain = operation.chain ?? [];
  // Answers that end the confirmation and are told here, in the drawer, instead.
  const doubt = sendInDoubt(resend.error);
  const alreadyResent = isApiError(resend.error) && resend.error.code === 'already_resent' ? resend.error : null;
  const newerId = alreadyResent ? operationIdIn(alreadyResent.details) : null;
  const justResent = resend.data?.resend_of === operation.id ? resend.data.id : null;
  const check = useQuery({ ...sendQueries.status(doubt?.send_id ?? ''), enabled: doubt !== null });
  const settledSend = doubt && isSettled(check.data) ? check.data : null;

  const settledState = settledSend?.state;
  useEffect(() => {
    // Settled: the chain and the verdict may have changed; show the server's view of them.
    if (settledState) void client.invalidateQueries({ queryKey: operationQueries.all() });
  }, [settledState, client]);

  if (!resendability && chain.length <= 1) return null;
  const resendable = resendability?.verdict === 'resendable';
  const noun = writeNoun(operation);

  const open = () => {
    // After a send in doubt settled as not sent, the same request (and key) goes out again.
    const spent = settledSend !== null && settledSend.state !== 'not_sent';
    if (resend.isError) resend.reset();
    setIntentKey((key) => (key && !spent ? key : newIdempotencyKey()));
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
        onError: (error) => {
          if (sendInDoubt(error) || (isApiError(error) && error.code === 'already_resent')) {
            setConfirming(false);
            // The chain changed under us (or may have): show the server's view of it.
            void client.invalidateQueries({ queryKey: operationQueries.all() });
          }
        },
      },
    );
  };

  const verdictBlock =
    resendable && mayResend ? (
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <Button variant={verdict.tone === 'danger' ? 'secondary' : 'primary'} onClick={open}>
          <SendIcon className="size-4" />
          {chain.length > 1 ? 'Resend again…' : `Resend ${noun}…`}
        </Button>
        <p className="text-xs text-slate-600 dark:text-slate-400">Sends the same {noun} as a new operation, after you confirm.</p>
      </div>
    ) : resendable ? (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Resending needs the {RESEND_ROLES} role; ask someone with it if this {noun} should go out again.
      </p>
    ) : resendability && !justResent ? (
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700 dark:text-slate-300">
        <p>{resendability.message}</p>
        {resendability.newer_operation_id ? (
          <OpenButton id={resendability.newer_operation_id} label="Open the newer operation" onOpen={onOpenOperation} />
        ) : null}
      </div>
    ) : null;

  return (
    <div className="space-y-3">
      {chain.length > 1 ? <ChainList chain={chain} currentId={operation.id} onOpen={onOpenOperation} /> : null}

      {doubt ? (
        <SendCheckNotice
          key={doubt.send_id}
          status={check.data}
          settlesAt={doubt.settles_at}
          error={check.isError ? errorMessage(check.error) : null}
        >
          {settledSend?.operation_id ? <OpenButton id={settledSend.operation_id} label="Open the resend" onOpen={onOpenOperation} /> : null}
        </SendCheckNotice>
      ) : null}

      {alreadyResent ? (
        <Outcome tone="warning">
          <p>Not resent: {alreadyResent.message}</p>
          {newerId ? <OpenButton id={newerId} label="Open the newer operation" onOpen={onOpenOperation} /> : null}
        </Outcome>
      ) : doubt && !settledSend ? null : (
        verdictBlock
      )}

      {justResent && !confirming ? (
        <Outcome tone="success" announce="Resent as a new operation.">
          <p>Resent as a new operation.</p>
          <OpenButton id={justResent} label="Open the resend" onOpen={onOpenOperation} />
        </Outcome>
      ) : null}
      {resend.isError && !confirming && !doubt && !alreadyResent ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          The resend did not go through: {errorMessage(resend.error)}
        </p>
      ) : null}

      {confirming ? (
        <ResendDialog
          noun={noun}
          verdict={verdict}
          sender={sender}
          recipient={recipient}
          connection={connection}
          tsp={tsp}
          resentBefore={Math.max(chain.length - 1, 0)}
          pending={resend.isPending}
          error={resend.error}
          onConfirm={confirm}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

/** What is resent, in words: "message", "vehicle update", "DVIR log". */
function writeNoun(operation: Pick<OperationDetail, 'resource' | 'operation_type'>): string {
  if (operation.resource === 'message') return 'message';
  const label = resourceLabel(operation.resource);
  // An acronym keeps its capitals ("DVIR log"); a word does not ("vehicle").
  const noun = /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  return operation.operation_type === 'update' ? `${noun} update` : noun;
}

function operationIdIn(details: unknown): string | null {
  if (typeof details !== 'object' || details === null || !('operation_id' in details)) return null;
  return typeof details.operation_id === 'string' ? details.operation_id : null;
}

/** Every send of this message, first first: the one shown is marked, the others open in the drawer. */
function ChainList({ chain, currentId, onOpen }: { chain: ChainLink[]; currentId: string; onOpen: (id: string) => void }) {
  const headingId = useId();
  const display = useTimeDisplay();
  const now = useNow(10_000);
  const shown = chain.length > MAX_CHAIN ? [...chain.slice(0, 1), ...chain.slice(-(MAX_CHAIN - 1))] : chain;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-50">
        Sends of this message ({chain.length})
      </h3>
      <ol className="mt-1.5 space-y-1.5 text-sm">
        {shown.map((link) => {
          const index = chain.indexOf(link);
          const label = index === 0 ? 'First send' : `Resend ${index}`;
          const current = link.id === currentId;
          return (
            <li key={link.id} aria-current={current ? 'true' : undefined} className="flex flex-wrap items-center gap-x-2 gap-y-1">
              {current ? (
                <span className="font-medium text-slate-900 dark:text-slate-100">
                  {label} <span className="font-mono text-[13px]">{shortId(link.id)}</span> (this operation)
                </span>
              ) : (
                <OpenButton id={link.id} label={label} onOpen={onOpen} />
              )}
              <OperationStatusBadge status={link.status} />
              <span className="text-xs text-slate-500 dark:text-slate-400">
                <Timestamp value={link.created_at} display={display} now={now} />
                {link.sent_by ? ` by ${link.sent_by}` : ''}
              </span>
            </li>
          );
        })}
      </ol>
      {chain.length > shown.length ? (
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{chain.length - shown.length} earlier resends not listed.</p>
      ) : null}
    </section>
  );
}

function OpenButton({ id, label, onOpen }: { id: string; label: string; onOpen: (id: string) => void }) {
  return (
    <button
      type="button"
      onClick={() => onOpen(id)}
      title={`Open operation ${id}`}
      className="inline-flex items-center gap-1.5 rounded font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
    >
      <ArrowRightIcon className="size-4" />
      {label} <span className="font-mono text-[13px]">{shortId(id)}</span>
    </button>
  );
}

const outcomeTones = {
  success: 'text-emerald-900 dark:text-emerald-200',
  warning: 'text-amber-950 dark:text-amber-100',
} as const;

/** News of the resend, where the Resend button was; takes focus (the confirmation that was in front of it is gone). */
function Outcome({ tone, announce, children }: { tone: keyof typeof outcomeTones; announce?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role={announce ? 'status' : 'alert'}
      aria-label={announce}
      className={`flex flex-wrap items-center gap-x-3 gap-y-1 text-sm font-medium focus:outline-none ${outcomeTones[tone]}`}
    >
      {children}
    </div>
  );
}
