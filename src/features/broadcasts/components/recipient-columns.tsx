import { Link } from '@tanstack/react-router';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { BroadcastRecipient, RecipientAttempt } from '../../../../contracts/broadcast-schemas.ts';
import { Badge } from '../../../components/ui/badge.tsx';
import { ClockIcon } from '../../../components/ui/icons.tsx';
import { ErrorTypeBadge, OperationStatusBadge } from '../../../components/ui/operation-badges.tsx';
import { formatClockTime } from '../../../lib/format.ts';
import { IN_DOUBT_HEADLINE } from '../../../lib/send-queries.ts';

export const recipientTableFeatures = tableFeatures({});
const column = createColumnHelper<typeof recipientTableFeatures, BroadcastRecipient>();

/*
 * Cells that hold visually hidden text are `relative`: the hidden text is positioned, and would
 * otherwise escape the table's sideways scroll and widen the whole page on a phone.
 */
function Nothing({ spoken }: { spoken: string }) {
  return (
    <span className="relative text-slate-400 dark:text-slate-500">
      <span aria-hidden="true">—</span>
      <span className="sr-only">{spoken}</span>
    </span>
  );
}

const attemptWords: Record<RecipientAttempt['status'], string> = { pending: 'Pending', success: 'Delivered', failed: 'Failed' };

/** "Failed 14:02 → resent → Delivered 14:09": every send of the recipient's message, in words. */
export function historyText(history: readonly RecipientAttempt[]): string {
  return history
    .map((attempt) => `${attemptWords[attempt.status]} ${formatClockTime(attempt.status === 'pending' ? attempt.created_at : attempt.updated_at)}`)
    .join(' → resent → ');
}

export const recipientColumns = column.columns([
  column.accessor('name', {
    header: 'Driver',
    cell: ({ getValue }) => <span className="font-medium text-slate-900 dark:text-slate-50">{getValue()}</span>,
  }),
  column.accessor('status', {
    header: 'Status',
    cell: ({ row, getValue }) =>
      row.original.in_doubt ? (
        <Badge tone="warning" icon={ClockIcon} title="The request left the console but Catena’s answer never came.">
          {IN_DOUBT_HEADLINE}
        </Badge>
      ) : (
        <OperationStatusBadge status={getValue()} />
      ),
  }),
  column.accessor((recipient) => recipient.history ?? [], {
    id: 'history',
    header: 'History',
    cell: ({ getValue }) => {
      const history = getValue();
      if (history.length < 2) return <Nothing spoken="Sent once" />;
      return <span className="text-xs text-slate-700 dark:text-slate-300">{historyText(history)}</span>;
    },
  }),
  column.accessor('attempt_count', {
    header: 'Attempts',
    cell: ({ getValue }) => <span className="text-slate-700 tabular-nums dark:text-slate-300">{getValue()}</span>,
  }),
  column.accessor('last_error_type', {
    header: 'Last error',
    cell: ({ row }) => {
      const { last_error_type: errorType, error } = row.original;
      if (!errorType && !error) return <Nothing spoken="None" />;
      return (
        <div className="max-w-md space-y-1">
          {errorType ? <ErrorTypeBadge errorType={errorType} /> : null}
          {/* Catena refused the request outright: its reason, as it gave it. */}
          {error ? <p className="text-xs text-slate-600 dark:text-slate-400">{error}</p> : null}
        </div>
      );
    },
  }),
  column.accessor('operation_id', {
    header: 'Operation',
    cell: ({ row }) => {
      const { operation_id: operationId, name, status } = row.original;
      if (!operationId) return <Nothing spoken={status === 'queued' ? 'Not sent yet' : 'No operation'} />;
      return (
        <Link
          to="/operations"
          search={{ op: operationId }}
          className="relative font-medium whitespace-nowrap text-brand-700 hover:underline dark:text-brand-300"
        >
          Open log <span className="sr-only">of the message to {name}</span>
        </Link>
      );
    },
  }),
]);

/** A card on a small screen: the driver, then the newest status, its last error, attempts, the operation and the history. */
export const recipientCardLayout: CardLayout = {
  fields: ['status', 'last_error_type', 'attempt_count', 'operation_id', 'history'],
  wide: ['history'],
};
