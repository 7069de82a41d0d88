import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { BroadcastDetail } from '../../../../contracts/broadcast-schemas.ts';
import type { ResendBatchDetail } from '../../../../contracts/resend-batch-schemas.ts';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { AlertTriangleIcon } from '../../../components/ui/icons.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { broadcastMutations } from '../api/broadcast-queries.ts';

/**
 * Whether resending can help, by why recipients failed: `auth` and `validation` fail at once
 * and the same way again unless someone fixed the cause (the fleet re-authorised the connection;
 * the driver or the text changed). A recipient Catena refused outright reads as `validation`.
 */
function failingAgain(broadcast: BroadcastDetail): { auth: number; validation: number } {
  const failed = broadcast.recipients.filter((recipient) => recipient.status === 'failed');
  return {
    auth: failed.filter((recipient) => recipient.last_error_type === 'auth').length,
    validation: failed.filter(
      (recipient) => recipient.last_error_type === 'validation' || (recipient.last_error_type === null && recipient.error !== null),
    ).length,
  };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * "Resend to failed recipients": says how many (the server's count: recipients whose newest
 * message failed and is not being resent), and warns when they failed for a reason that a resend
 * does not change. Confirming starts a bulk resend of just those recipients. One Idempotency-Key
 * per opening of the dialog: retrying after an error cannot start a second one.
 */
export function ResendFailedDialog({
  broadcast,
  count,
  onClose,
  onResent,
}: {
  broadcast: BroadcastDetail;
  count: number;
  onClose: () => void;
  onResent: (batch: ResendBatchDetail) => void;
}) {
  const titleId = useId();
  const descriptionId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const resend = useMutation(broadcastMutations.resendFailed());
  const failed = count;
  const again = failingAgain(broadcast);

  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onClose} initialFocusRef={cancelRef}>
      <h2 id={titleId} className="text-lg font-semibold text-slate-900 dark:text-white">
        Resend to {plural(failed, 'failed recipient', 'failed recipients')}?
      </h2>
      <div id={descriptionId} className="mt-2 space-y-3 text-sm text-slate-600 dark:text-slate-400">
        <p>
          Sends the same text again to the {plural(failed, 'recipient', 'recipients')} whose newest message failed, one new message each, as a bulk
          resend linked to this broadcast. Nobody else gets anything: not the recipients whose message was delivered or is still on its way, nor those
          already resent.
        </p>
        {again.auth + again.validation > 0 ? (
          <div className="flex gap-2.5 rounded-lg bg-amber-50 px-3 py-2.5 text-amber-950 ring-1 ring-amber-600/25 ring-inset dark:bg-amber-400/10 dark:text-amber-100 dark:ring-amber-400/25">
            <AlertTriangleIcon className="mt-0.5 size-4 text-amber-600 dark:text-amber-400" />
            <div className="space-y-1">
              {again.auth > 0 ? (
                <p>
                  <strong>{again.auth === failed ? 'All of them' : plural(again.auth, 'of them', 'of them')}</strong> failed with an{' '}
                  <strong>auth</strong> error: the TSP refused the fleet’s credentials. They will fail again unless the fleet has re-authorised the
                  connection since.
                </p>
              ) : null}
              {again.validation > 0 ? (
                <p>
                  <strong>{again.validation === failed ? 'All of them' : plural(again.validation, 'of them', 'of them')}</strong> failed with a{' '}
                  <strong>validation</strong> error: the TSP refused the message itself. The same text to the same drivers will fail again unless the
                  cause was fixed.
                </p>
              ) : null}
            </div>
          </div>
        ) : null}
      </div>
      {resend.isError ? (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700 dark:text-red-400">
          Not resent: {errorMessage(resend.error)}
        </p>
      ) : null}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={cancelRef} type="button" onClick={onClose} className={buttonClasses()}>
          Cancel
        </button>
        <Button
          variant="primary"
          disabled={resend.isPending}
          onClick={() => resend.mutate({ broadcastId: broadcast.id, idempotencyKey }, { onSuccess: onResent })}
        >
          {resend.isPending ? 'Resending…' : `Resend to ${plural(failed, 'recipient', 'recipients')}`}
        </Button>
      </div>
    </ConfirmDialog>
  );
}
