import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import type { ResendBatch } from '../../../../contracts/resend-batch-schemas.ts';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { StaleBadge } from '../../../components/ui/stale-badge.tsx';
import { TryAgainButton } from '../../../components/ui/try-again-button.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { resendBatchQueries } from '../api/resend-batch-queries.ts';
import { resendBatchCardLayout, resendBatchColumns, resendBatchTableFeatures } from './resend-batch-columns.tsx';

const noBatches: ResendBatch[] = [];

/** "/resend-batches": every bulk resend, newest first, with where it stands. */
export function ResendBatchesPage() {
  const batches = useQuery(resendBatchQueries.list());
  const table = useTable({
    features: resendBatchTableFeatures,
    columns: resendBatchColumns,
    data: batches.data?.items ?? noBatches,
    getRowId: (batch) => batch.id,
  });
  const hasData = batches.data !== undefined;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Bulk resends</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Failed messages sent again in one confirmed step, from a selection on the Operations page or a broadcast’s
          failed recipients.
        </p>
      </div>
      <Panel
        title="All bulk resends"
        titleId="resend-batches-heading"
        description="Newest first."
        actions={
          batches.isError && hasData ? <StaleBadge since={batches.dataUpdatedAt} reason={errorMessage(batches.error)} /> : null
        }
      >
        {batches.isPending ? (
          <p role="status" className="px-5 py-10 text-center text-sm text-slate-600 dark:text-slate-400">
            Loading bulk resends…
          </p>
        ) : !hasData ? (
          <EmptyState
            kind="error"
            title="Could not load bulk resends"
            action={<TryAgainButton query={batches} />}
          >
            {errorMessage(batches.error)}
          </EmptyState>
        ) : batches.data.items.length === 0 ? (
          <EmptyState
            kind="nothing-yet"
            title="No bulk resends yet"
            action={
              <Link to="/operations" search={{ status: ['failed'] }} className={buttonClasses({ variant: 'primary' })}>
                See failed operations
              </Link>
            }
          >
            Select failed operations on the Operations page and press Resend…: the batch appears here with its progress.
          </EmptyState>
        ) : (
          <DataTable table={table} caption="Bulk resends: started, by, covers and progress" rowHeaderColumnId="created_at" card={resendBatchCardLayout} />
        )}
      </Panel>
    </div>
  );
}
