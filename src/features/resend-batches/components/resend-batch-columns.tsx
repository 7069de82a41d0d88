import { Link } from '@tanstack/react-router';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { ResendBatch } from '../../../../contracts/resend-batch-schemas.ts';
import { Timestamp } from '../../../components/ui/timestamp.tsx';
import { useNow } from '../../../lib/use-now.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { isUnderWay } from '../api/resend-batch-queries.ts';
import { batchSummaryText } from '../resend-batch-words.ts';
import { progressText } from './resend-batch-progress.tsx';
import { SelectionWords } from './selection-words.tsx';

export const resendBatchTableFeatures = tableFeatures({});
const column = createColumnHelper<typeof resendBatchTableFeatures, ResendBatch>();

function StartedCell({ batch }: { batch: ResendBatch }) {
  const display = useTimeDisplay();
  const now = useNow(10_000);
  return (
    <Link
      to="/resend-batches/$batchId"
      params={{ batchId: batch.id }}
      className="font-medium whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300"
    >
      <span className="sr-only">Bulk resend started </span>
      <Timestamp value={batch.created_at} display={display} now={now} />
    </Link>
  );
}

export const resendBatchColumns = column.columns([
  column.accessor('created_at', {
    header: 'Started',
    cell: ({ row }) => <StartedCell batch={row.original} />,
  }),
  column.accessor('created_by_name', {
    header: 'By',
    cell: ({ getValue }) => <span className="text-slate-700 dark:text-slate-300">{getValue() ?? 'Someone'}</span>,
  }),
  column.display({
    id: 'selection',
    header: 'Covers',
    cell: ({ row }) => (
      <span className="text-slate-700 dark:text-slate-300">
        <SelectionWords batch={row.original} />
      </span>
    ),
  }),
  column.display({
    id: 'progress',
    header: 'Progress',
    cell: ({ row }) => {
      const batch = row.original;
      const total = Object.values(batch.counts).reduce((sum, count) => sum + count, 0);
      return (
        <span className="text-slate-700 dark:text-slate-300">
          {isUnderWay(batch) ? `Under way: ${progressText(batch.counts, total)}` : batchSummaryText(batch)}
        </span>
      );
    },
  }),
]);

/** A card on a small screen: when it started, then who started it, what it covers and its progress. */
export const resendBatchCardLayout: CardLayout = {
  fields: ['created_by_name', 'selection', 'progress'],
  wide: ['selection', 'progress'],
};
