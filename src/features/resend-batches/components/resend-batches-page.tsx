import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import type { ResendBatch } from '../../../../contracts/resend-batch-schemas.ts';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStaleBadge, QueryStates } from '../../../components/ui/query-states.tsx';
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

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Bulk resends</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Failed messages sent again in one confirmed step, from a selection on the Operations page or a broadcast’s failed recipients.
        </p>
      </div>
      <Panel title="All bulk resends" titleId="resend-batches-heading" description="Newest first." actions={<QueryStaleBadge query={batches} />}>
        <QueryStates
          query={batches}
          loading="Loading bulk resends…"
          error={{ title: 'Could not load bulk resends' }}
          empty={{
            when: (data) => data.items.length === 0,
            title: 'No bulk resends yet',
            body: 'Select failed operations on the Operations page and press Resend…: the batch appears here with its progress.',
            action: (
              <Link to="/operations" search={{ status: ['failed'] }} className={buttonClasses({ variant: 'primary' })}>
                See failed operations
              </Link>
            ),
          }}
        >
          {() => (
            <DataTable
              table={table}
              caption="Bulk resends: started, by, covers and progress"
              rowHeaderColumnId="created_at"
              card={resendBatchCardLayout}
            />
          )}
        </QueryStates>
      </Panel>
    </div>
  );
}
