import { Link } from '@tanstack/react-router';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { ResendBatchItem } from '../../../../contracts/resend-batch-schemas.ts';
import { StatusBadge } from '../../../components/ui/badge.tsx';
import { NoValue } from '../../../components/ui/no-value.tsx';
import { resendItemLooks } from '../resend-batch-words.ts';

/** An item as the table shows it: with its connection's name (the app hands the names over). */
export type ResendItemRow = ResendBatchItem & { connection_name: string };

export const resendItemTableFeatures = tableFeatures({});
const column = createColumnHelper<typeof resendItemTableFeatures, ResendItemRow>();

const linkClasses = 'relative font-medium whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300';

export const resendItemColumns = column.columns([
  column.accessor('recipient_name', {
    header: 'Recipient',
    cell: ({ getValue }) => <span className="font-medium text-slate-900 dark:text-slate-50">{getValue()}</span>,
  }),
  column.accessor('connection_name', {
    header: 'Connection',
    cell: ({ getValue }) => <span className="text-slate-700 dark:text-slate-300">{getValue()}</span>,
  }),
  column.accessor('message_text', {
    header: 'Message',
    cell: ({ getValue }) => (
      <span title={getValue()} className="block max-w-xs truncate text-slate-700 dark:text-slate-300">
        {getValue()}
      </span>
    ),
  }),
  column.accessor('state', {
    header: 'State',
    cell: ({ row }) => {
      const { state, error } = row.original;
      return (
        <div className="space-y-1">
          <StatusBadge look={resendItemLooks[state]} />
          {/* Why it was refused, in the words of whoever refused it. */}
          {error ? <p className="max-w-xs text-xs text-slate-600 dark:text-slate-400">{error}</p> : null}
        </div>
      );
    },
  }),
  column.display({
    id: 'operations',
    header: 'Operations',
    cell: ({ row }) => {
      const { resend_of: original, operation_id: resent, recipient_name: name, state } = row.original;
      return (
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          <Link to="/operations" search={{ op: original }} className={linkClasses}>
            Original <span className="sr-only">message to {name}</span>
          </Link>
          {resent ? (
            <Link to="/operations" search={{ op: resent }} className={linkClasses}>
              Resend <span className="sr-only">to {name}</span>
            </Link>
          ) : (
            <NoValue spoken={state === 'queued' || state === 'sending' ? 'Not sent yet' : 'No new operation'} />
          )}
        </div>
      );
    },
  }),
]);

/** A card on a small screen: the recipient, then the item's state, connection, operations and message. */
export const resendBatchItemCardLayout: CardLayout = {
  fields: ['state', 'connection_name', 'operations', 'message_text'],
  wide: ['operations', 'message_text'],
};
