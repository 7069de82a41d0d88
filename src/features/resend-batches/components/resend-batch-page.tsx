import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ResendBatchDetail } from '../../../../contracts/resend-batch-schemas.ts';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { XCircleIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStates } from '../../../components/ui/query-states.tsx';
import { StaleBadge } from '../../../components/ui/stale-badge.tsx';
import { Timestamp } from '../../../components/ui/timestamp.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useCan } from '../../../lib/use-session.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { isUnderWay, resendBatchMutations, resendBatchQueries } from '../api/resend-batch-queries.ts';
import { resendBatchRoute } from '../resend-batches-routes.ts';
import { batchSummaryText, plural } from '../resend-batch-words.ts';
import { resendBatchItemCardLayout, resendItemColumns, resendItemTableFeatures, type ResendItemRow } from './resend-batch-item-columns.tsx';
import { ResendBatchProgress } from './resend-batch-progress.tsx';
import { BackLink, framedWithBackLink } from '../../../components/ui/back-link.tsx';

/** Until the bulk resend is here: the way back, and a card for what is said instead. */
const withBackLink = framedWithBackLink(<BackLink to="/resend-batches">All bulk resends</BackLink>);
import { SelectionWords } from './selection-words.tsx';

/** Connection ids (lower case) to "Northwind Freight · Samsara"; the app hands them over. */
export type ConnectionNames = ReadonlyMap<string, string>;

/** "/resend-batches/$batchId": one bulk resend, item by item, live until there is nothing left to wait for. */
export function ResendBatchPage({ connectionNames }: { connectionNames: ConnectionNames }) {
  const { batchId } = resendBatchRoute.useParams();
  const batch = useQuery(resendBatchQueries.detail(batchId));

  return (
    <QueryStates
      query={batch}
      loading="Loading the bulk resend…"
      error={(error) =>
        isApiError(error) && (error.status === 404 || error.status === 400)
          ? {
              title: 'No such bulk resend',
              action: (
                <Link to="/resend-batches" className={buttonClasses({ variant: 'primary' })}>
                  See all bulk resends
                </Link>
              ),
            }
          : { title: 'Could not load the bulk resend' }
      }
      frame={withBackLink}
    >
      {(data) => (
        <ResendBatchView
          batch={data}
          connectionNames={connectionNames}
          staleSince={batch.isError ? batch.dataUpdatedAt : null}
          staleReason={batch.isError ? errorMessage(batch.error) : null}
        />
      )}
    </QueryStates>
  );
}

function ResendBatchView({
  batch,
  connectionNames,
  staleSince,
  staleReason,
}: {
  batch: ResendBatchDetail;
  connectionNames: ConnectionNames;
  staleSince: number | null;
  staleReason: string | null;
}) {
  const timeDisplay = useTimeDisplay();
  const now = useNow(10_000);
  const mayCancel = useCan('resend') && !batch.finished;
  const [confirming, setConfirming] = useState(false);
  const progressHeadingRef = useRef<HTMLSpanElement>(null);
  const focusProgressOnClose = useRef(false);
  const underWay = isUnderWay(batch);
  // The Cancel button is gone with what it cancelled: once the dialog has closed (and let go of
  // focus), focus goes to the progress it changed.
  useEffect(() => {
    if (confirming || !focusProgressOnClose.current) return;
    focusProgressOnClose.current = false;
    progressHeadingRef.current?.focus();
  }, [confirming]);

  const rows = useMemo<ResendItemRow[]>(
    () =>
      batch.items.map((item) => ({
        ...item,
        connection_name: connectionNames.get(item.connection_id.toLowerCase()) ?? `${item.connection_id.slice(0, 8)}…`,
      })),
    [batch.items, connectionNames],
  );
  const table = useTable({
    features: resendItemTableFeatures,
    columns: resendItemColumns,
    data: rows,
    getRowId: (item) => String(item.position),
  });

  return (
    <div className="space-y-6">
      <BackLink to="/resend-batches">All bulk resends</BackLink>
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">
          Bulk resend of {plural(batch.will_resend, 'operation', 'operations')}
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Started <Timestamp value={batch.created_at} display={timeDisplay} now={now} />
          {batch.created_by_name ? ` by ${batch.created_by_name}` : ''} · <SelectionWords batch={batch} />
          {batch.cancelled_at ? (
            <>
              {' '}
              · cancelled <Timestamp value={batch.cancelled_at} display={timeDisplay} now={now} />
            </>
          ) : null}
        </p>
      </div>

      <Panel
        title={
          <span ref={progressHeadingRef} tabIndex={-1} className="focus:outline-none">
            Progress
          </span>
        }
        titleId="resend-progress-heading"
        description={underWay ? 'Updating live, at Catena’s pace.' : 'Nothing left to wait for.'}
        actions={
          <>
            {staleSince !== null ? <StaleBadge since={staleSince} reason={staleReason ?? undefined} /> : null}
            {mayCancel ? (
              <Button size="sm" onClick={() => setConfirming(true)}>
                <XCircleIcon className="size-4" />
                Cancel
              </Button>
            ) : null}
          </>
        }
      >
        <div className="space-y-3 px-4 py-5 sm:px-5">
          <ResendBatchProgress counts={batch.counts} total={batch.items.length} />
          {/* Announced once, when there is nothing left to wait for; not at every poll. */}
          <p role="status" className={underWay ? 'sr-only' : 'text-sm font-medium text-slate-900 dark:text-slate-100'}>
            {underWay ? '' : `Summary: ${batchSummaryText(batch)}`}
          </p>
        </div>
      </Panel>

      <Panel
        title="Items"
        titleId="resend-items-heading"
        description="One new operation per item — the same message, or the same write — linked to the one it resends."
      >
        {rows.length === 0 ? (
          <EmptyState kind="nothing-yet" title="No items">
            Every selected operation was skipped.
          </EmptyState>
        ) : (
          <DataTable
            table={table}
            caption="Items: recipient, connection, message, state and operations"
            rowHeaderColumnId="recipient_name"
            columnClasses={{ state: 'w-44', operations: 'w-44' }}
            card={resendBatchItemCardLayout}
          />
        )}
      </Panel>

      {confirming ? (
        <CancelBatchDialog
          batch={batch}
          onClose={() => setConfirming(false)}
          onCancelled={() => {
            focusProgressOnClose.current = true;
            setConfirming(false);
          }}
        />
      ) : null}
    </div>
  );
}

/** "Cancel this bulk resend?": what is not sent yet stays unsent; what was sent stays sent. */
function CancelBatchDialog({ batch, onClose, onCancelled }: { batch: ResendBatchDetail; onClose: () => void; onCancelled: () => void }) {
  const titleId = useId();
  const descriptionId = useId();
  const keepRef = useRef<HTMLButtonElement>(null);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const cancel = useMutation(resendBatchMutations.cancel());
  const waiting = batch.counts.queued;

  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onClose} initialFocusRef={keepRef}>
      <h2 id={titleId} className="text-lg font-semibold text-slate-900 dark:text-white">
        Cancel this bulk resend?
      </h2>
      <p id={descriptionId} className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        {waiting > 0
          ? `The ${plural(waiting, 'message', 'messages')} not sent yet will not be sent. `
          : 'Every message has been handed to Catena already. '}
        What was already sent stays sent.
      </p>
      {cancel.isError ? (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700 dark:text-red-400">
          Not cancelled: {errorMessage(cancel.error)}
        </p>
      ) : null}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={keepRef} type="button" onClick={onClose} className={buttonClasses()}>
          Keep sending
        </button>
        <Button
          variant="primary"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({ batchId: batch.id, idempotencyKey }, { onSuccess: onCancelled })}
        >
          {cancel.isPending ? 'Cancelling…' : 'Cancel the rest'}
        </Button>
      </div>
    </ConfirmDialog>
  );
}
