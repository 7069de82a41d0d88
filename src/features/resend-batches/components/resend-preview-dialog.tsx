import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useId, useRef, useState } from 'react';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { TryAgainButton } from '../../../components/ui/try-again-button.tsx';
import { RefreshIcon } from '../../../components/ui/icons.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { resendBatchMutations, resendBatchQueries, type ResendSelection } from '../api/resend-batch-queries.ts';
import { plural, previewText, skippedTotal } from '../resend-batch-words.ts';

/**
 * "Resend…" on a selection: first the server's count (a dry run: how many would be resent, how
 * many skipped and why), then, with that count in front of the person, the resend itself. One
 * Idempotency-Key per opening of the dialog: retrying a confirmation after an error cannot start
 * a second batch. When nothing would be resent there is no confirm button, and it says why.
 */
export function ResendPreviewDialog({ selection, onClose }: { selection: ResendSelection; onClose: () => void }) {
  const titleId = useId();
  const descriptionId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const navigate = useNavigate();
  const [idempotencyKey] = useState(newIdempotencyKey);
  const preview = useQuery(resendBatchQueries.preview(selection));
  const create = useMutation(resendBatchMutations.create());
  const data = preview.data;

  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onClose} initialFocusRef={cancelRef}>
      <h2 id={titleId} className="text-lg font-semibold text-slate-900 dark:text-white">
        {data ? `Resend ${plural(data.will_resend, 'operation', 'operations')}?` : 'Resend the selected operations?'}
      </h2>
      <div id={descriptionId} className="mt-2 space-y-3 text-sm text-slate-600 dark:text-slate-400">
        {data ? (
          <>
            <p className="font-medium text-slate-900 dark:text-slate-100">
              Of {plural(data.selected, 'selected operation', 'selected operations')}: {previewText(data)}
            </p>
            {data.will_resend > 0 ? (
              <p>
                Each is sent again as it was — a message to the same driver, an update to the same record — as a new operation linked to the one it
                resends, at Catena’s pace. You can follow the batch, and cancel what is not sent yet, on its page.
              </p>
            ) : (
              <p role="status">
                Nothing to resend:{' '}
                {skippedTotal(data.skipped) > 0
                  ? 'every selected operation is skipped for the reasons above. Messages that were delivered or are on their way are never sent twice.'
                  : 'the selection holds no operations.'}
              </p>
            )}
          </>
        ) : preview.isError ? (
          <p role="alert" className="font-medium text-red-700 dark:text-red-400">
            Could not count what would be resent: {errorMessage(preview.error)}
          </p>
        ) : (
          <p role="status">Counting what would be resent…</p>
        )}
      </div>
      {create.isError ? (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700 dark:text-red-400">
          Not resent: {errorMessage(create.error)}
        </p>
      ) : null}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={cancelRef} type="button" onClick={onClose} className={buttonClasses()}>
          {data && data.will_resend === 0 ? 'Close' : 'Cancel'}
        </button>
        {preview.isError ? <TryAgainButton query={preview} variant="secondary" /> : null}
        {data && data.will_resend > 0 ? (
          <Button
            variant="primary"
            disabled={create.isPending}
            onClick={() =>
              create.mutate(
                { selection, idempotencyKey },
                {
                  onSuccess: (batch) => void navigate({ to: '/resend-batches/$batchId', params: { batchId: batch.id } }),
                },
              )
            }
          >
            {create.isPending ? 'Starting…' : `Resend ${plural(data.will_resend, 'operation', 'operations')}`}
          </Button>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}

/** The selection bar's action: opens the preview for what is selected. */
export function ResendSelectionButton({ selection }: { selection: ResendSelection }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="primary" onClick={() => setOpen(true)}>
        <RefreshIcon className="size-4" />
        Resend…
      </Button>
      {open ? <ResendPreviewDialog selection={selection} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
