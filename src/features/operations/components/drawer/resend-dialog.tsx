import { useId, useRef, type ComponentType } from 'react';
import type { Connection } from '../../../../../contracts/directory-schemas.ts';
import { buttonClasses } from '../../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../../components/ui/confirm-dialog.tsx';
import { AlertTriangleIcon, InfoIcon, SendIcon, XCircleIcon } from '../../../../components/ui/icons.tsx';
import { errorMessage, isApiError } from '../../../../lib/api-client.ts';
import type { ResendVerdict } from './error-explanations.ts';

const verdictLooks: Record<ResendVerdict['tone'], { icon: ComponentType<{ className?: string }>; box: string; iconColor: string }> = {
  danger: {
    icon: XCircleIcon,
    box: 'bg-red-50 ring-red-600/20 dark:bg-red-500/10 dark:ring-red-400/25',
    iconColor: 'text-red-600 dark:text-red-400',
  },
  warning: {
    icon: AlertTriangleIcon,
    box: 'bg-amber-50 ring-amber-600/25 dark:bg-amber-400/10 dark:ring-amber-400/25',
    iconColor: 'text-amber-600 dark:text-amber-300',
  },
  info: {
    icon: InfoIcon,
    box: 'bg-brand-50 ring-brand-600/20 dark:bg-brand-400/10 dark:ring-brand-400/25',
    iconColor: 'text-brand-600 dark:text-brand-300',
  },
};

/** Codes after which asking again cannot help: the operation itself is not resendable. */
const FINAL_CODES = new Set(['not_resendable', 'resend_in_progress', 'payload_incomplete', 'operation_not_found', 'idempotency_key_reused']);

/**
 * "Resend this message?": says what will be sent, through which connection, and whether that is
 * safe given the errors the operation met. A failed resend keeps the dialog open with the reason;
 * "Try again" repeats the same request (same Idempotency-Key), so it never sends twice.
 */
export function ResendDialog({
  noun = 'message',
  verdict,
  sender,
  recipient,
  connection,
  tsp,
  resentBefore,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  /** What is resent: "message", "vehicle update" … */
  noun?: string;
  verdict: ResendVerdict;
  sender: string;
  recipient: string;
  connection: Connection | undefined;
  tsp: string;
  /** How many times it was resent already. */
  resentBefore: number;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const descriptionId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const look = verdictLooks[verdict.tone];
  const final = isApiError(error) && FINAL_CODES.has(error.code);
  const through = connection ? `${connection.name} (${tsp})` : tsp;

  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onCancel} initialFocusRef={cancelRef}>
      <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
        Resend this {noun}?
      </h2>
      <p id={descriptionId} className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        {noun === 'message' ? `Sends the same text from ${sender} to ${recipient} again` : `Sends the same ${noun} again, with the same fields`}, as a
        new operation through {through}. The failed operation stays as it is, linked to the new one.
      </p>

      <div className={`mt-4 flex gap-3 rounded-lg p-3 ring-1 ring-inset ${look.box}`}>
        <look.icon className={`mt-0.5 size-5 ${look.iconColor}`} />
        <div className="min-w-0 text-sm">
          <p className="font-semibold text-slate-900 dark:text-slate-50">{verdict.headline}</p>
          {verdict.reasons.length > 0 ? (
            <ul className="mt-1 list-disc space-y-1 pl-4 text-slate-700 dark:text-slate-300">
              {verdict.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>

      {connection && !connection.can_send ? (
        <p className="mt-3 flex gap-2 text-sm text-amber-900 dark:text-amber-200">
          <AlertTriangleIcon className="mt-0.5 size-4" />
          <span>
            {connection.name} cannot take {noun === 'message' ? 'messages' : 'writes'} right now
            {connection.inactive_reason ? `: ${connection.inactive_reason}` : '.'}
          </span>
        </p>
      ) : null}
      {resentBefore > 0 ? (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-300">
          It was resent {resentBefore === 1 ? 'once' : `${resentBefore} times`} already: this sends one more copy.
        </p>
      ) : null}

      {error ? (
        <div
          role="alert"
          className="mt-4 rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-red-600/20 ring-inset dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/25"
        >
          <p className="font-semibold">The resend did not go through.</p>
          <p className="mt-0.5">{errorMessage(error)}</p>
          {resendErrorHint(error) ? <p className="mt-1">{resendErrorHint(error)}</p> : null}
        </div>
      ) : null}

      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={cancelRef} type="button" onClick={onCancel} className={buttonClasses({ variant: 'secondary' })}>
          {final ? 'Close' : 'Cancel'}
        </button>
        {final ? null : (
          <button
            type="button"
            aria-disabled={pending}
            onClick={() => {
              if (!pending) onConfirm();
            }}
            className={`${buttonClasses({ variant: 'primary' })} ${pending ? 'cursor-wait opacity-70' : ''}`}
          >
            <SendIcon className="size-4" />
            {pending ? 'Resending…' : error ? 'Try again' : `Resend ${noun}`}
          </button>
        )}
      </div>
    </ConfirmDialog>
  );
}

function resendErrorHint(error: unknown): string | null {
  if (!isApiError(error)) return null;
  switch (error.code) {
    case 'network_error':
      return 'Whether it was sent is unknown. Trying again is safe: the same request never sends the message twice.';
    case 'upstream_unreachable':
      return 'Nothing was sent. Try again in a moment.';
    case 'upstream_rate_limited': {
      const seconds = retryAfterSeconds(error.details);
      return `Catena is limiting requests right now. Nothing was sent; try again${seconds ? ` in ${seconds} s` : ' shortly'}.`;
    }
    case 'request_in_progress':
      return 'The first try is still on its way. Wait a moment and try again: it will not send twice.';
    case 'payload_incomplete':
      return 'Compose the message again instead.';
    default:
      return null;
  }
}

function retryAfterSeconds(details: unknown): number | null {
  if (typeof details !== 'object' || details === null || !('retry_after_seconds' in details)) return null;
  const value = details.retry_after_seconds;
  return typeof value === 'number' && value > 0 ? value : null;
}
