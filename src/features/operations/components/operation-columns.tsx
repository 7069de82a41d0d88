import { Link } from '@tanstack/react-router';
import { createColumnHelper, rowSelectionFeature, rowSortingFeature, tableFeatures, type Column, type Table, type Row } from '@tanstack/react-table';
import { useEffect, useRef } from 'react';
import type { Operation } from '../../../../contracts/operation-schemas.ts';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { ArrowDownIcon, ArrowUpIcon, ChevronsUpDownIcon } from '../../../components/ui/action-icons.tsx';
import { formatTimestamp, toIsoString } from '../../../lib/format.ts';
import { AlertTriangleIcon } from '../../../components/ui/icons.tsx';
import { NoValue } from '../../../components/ui/no-value.tsx';
import { errorTypeLooks, OperationStatusBadge } from '../../../components/ui/operation-badges.tsx';
import { operationTypeLabels, resourceLabel } from './operation-looks.tsx';
import { useOperationsTableContext } from './operations-table-context.ts';
import { messageParties, personWithRole } from '../message-people.ts';

/**
 * Sorting is the server's (`manualSorting`); the feature only keeps its state in the URL.
 * Selection (for a bulk resend) is the page's own state; its shift-click ranges are the feature's.
 */
export const operationTableFeatures = tableFeatures({ rowSortingFeature, rowSelectionFeature });
const column = createColumnHelper<typeof operationTableFeatures, Operation>();

type OperationColumn = Column<typeof operationTableFeatures, Operation, string>;
type OperationsCoreTable = Table<typeof operationTableFeatures, Operation>;

/** The short id people read and say ("1a2b3c4d"), as the drawer shows it. */
export function shortOperationId(id: string): string {
  return id.slice(0, 8);
}

const checkboxClasses =
  'size-4 cursor-pointer rounded border-slate-300 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 dark:border-slate-600 dark:accent-brand-400';

/** Selects every loaded row (the list so far, not the whole filter: the selection bar offers that). */
function SelectLoadedCheckbox({ table }: { table: OperationsCoreTable }) {
  const ref = useRef<HTMLInputElement>(null);
  const all = table.getIsAllRowsSelected();
  const some = table.getIsSomeRowsSelected() && !all;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = some;
  }, [some]);
  // The words show only where the header is a bar above cards (a small screen); a table's header cell has no room.
  return (
    <label className="inline-flex items-center gap-2 normal-case">
      <input
        ref={ref}
        type="checkbox"
        aria-label="Select all loaded operations"
        checked={all}
        onChange={table.getToggleAllRowsSelectedHandler()}
        className={checkboxClasses}
      />
      <span className="md:sr-only">Select all loaded</span>
    </label>
  );
}

/** Shift-click (or Shift+Space) selects the range from the row last toggled. */
function SelectRowCheckbox({ row }: { row: Row<typeof operationTableFeatures, Operation> }) {
  return (
    <input
      type="checkbox"
      aria-label={`Select operation ${shortOperationId(row.id)}`}
      checked={row.getIsSelected()}
      onChange={row.getToggleSelectedHandler()}
      className={checkboxClasses}
    />
  );
}

function SortHeader({ column: col, label }: { column: OperationColumn; label: string }) {
  const sorted = col.getIsSorted();
  const Icon = sorted === 'asc' ? ArrowUpIcon : sorted === 'desc' ? ArrowDownIcon : ChevronsUpDownIcon;
  const next = sorted === 'desc' ? 'oldest first' : 'newest first';
  return (
    <button
      type="button"
      onClick={col.getToggleSortingHandler()}
      title={`Sort by ${label.toLowerCase()}, ${next}`}
      className={`-mx-1.5 inline-flex items-center gap-1 rounded px-1.5 py-0.5 uppercase hover:bg-slate-200/70 hover:text-slate-800 dark:hover:bg-slate-800 dark:hover:text-slate-200 ${sorted ? 'text-slate-800 dark:text-slate-100' : ''}`}
    >
      {label}
      <Icon className={`size-3.5 ${sorted ? '' : 'opacity-50'}`} />
    </button>
  );
}

function TimeCell({ value }: { value: string }) {
  const { now, timeDisplay } = useOperationsTableContext();
  const iso = toIsoString(value);
  return (
    <time dateTime={iso} title={iso} className="text-slate-700 tabular-nums dark:text-slate-300">
      {formatTimestamp(value, timeDisplay, now)}
    </time>
  );
}

function ConnectionCell({ connectionId }: { connectionId: string }) {
  const connection = useOperationsTableContext().connections.get(connectionId);
  if (!connection) {
    return (
      <span className="font-mono text-xs text-slate-500 dark:text-slate-400" title={connectionId}>
        {connectionId.slice(0, 8)}…
      </span>
    );
  }
  return (
    <span title={`${connection.name} (${connection.tsp})`}>
      <span className="text-slate-900 dark:text-slate-100">{connection.name}</span>
      <span className="text-slate-500 dark:text-slate-400"> · {connection.tsp}</span>
    </span>
  );
}

function payloadText(payload: Record<string, unknown>, key: string): string | null {
  const value = payload[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

const ignoredPayloadKeys = new Set(['connection_id', 'id']);

/** One line that says what the operation is about: for a message, to whom and what. */
function SummaryCell({ operation }: { operation: Operation }) {
  const { people } = useOperationsTableContext();
  const { payload } = operation;
  let who: string | null = null;
  let what: string;
  let spoken: string;

  if (operation.resource === 'message') {
    const { sender, recipient, fromDriver } = messageParties(payload, people);
    what = payloadText(payload, 'message_text') ?? '(no text)';
    if (sender && fromDriver) {
      // A driver's reply: the driver is who it is about; the dispatcher it went to comes second.
      who = `From ${personWithRole(sender)}`;
      spoken = `Reply from ${personWithRole(sender)}${recipient ? ` to ${recipient.name}` : ''}:`;
    } else {
      const recipientId = payloadText(payload, 'recipient_id');
      who = recipient ? recipient.name : recipientId ? 'Unknown recipient' : 'No recipient';
      spoken = `Message to ${who}:`;
    }
  } else {
    const subject = operation.resource_id ? people.get(operation.resource_id.toLowerCase())?.name : undefined;
    who = subject ?? null;
    const fields = Object.keys(payload)
      .filter((key) => !ignoredPayloadKeys.has(key))
      .slice(0, 3)
      .map((key) => key.replaceAll('_', ' '));
    what = fields.length > 0 ? fields.join(', ') : (operation.resource_id ?? operation.source_id ?? operation.id);
    spoken = `${resourceLabel(operation.resource)} ${operationTypeLabels[operation.operation_type].toLowerCase()}${who ? ` for ${who}` : ''}:`;
  }

  return (
    <Link
      from="/operations"
      to="/operations"
      search={(previous) => ({ ...previous, op: operation.id })}
      title={what}
      className="block truncate rounded-sm text-slate-700 outline-offset-0 hover:text-brand-700 focus-visible:outline-2 dark:text-slate-300 dark:hover:text-brand-300"
    >
      <span className="sr-only">{spoken}</span>{' '}
      {who ? (
        <span aria-hidden="true" className="font-medium text-slate-900 dark:text-slate-50">
          {who}
        </span>
      ) : null}
      {who ? (
        <span aria-hidden="true" className="text-slate-400 dark:text-slate-500">
          {' '}
          ·{' '}
        </span>
      ) : null}
      <span>{what}</span>
    </Link>
  );
}

export const operationColumns = column.columns([
  column.accessor('created_at', {
    id: 'created_at',
    header: ({ column: col }) => <SortHeader column={col} label="Created" />,
    cell: ({ getValue }) => <TimeCell value={getValue()} />,
    enableSorting: true,
    sortDescFirst: true,
  }),
  column.accessor('status', {
    header: 'Status',
    cell: ({ getValue, row }) => (
      <span className="flex flex-wrap items-center gap-1">
        <OperationStatusBadge status={getValue()} />
        {row.original.stuck ? <StuckMark /> : null}
      </span>
    ),
    enableSorting: false,
  }),
  column.accessor('resource', {
    header: 'Resource',
    cell: ({ getValue }) => <span className="text-slate-700 dark:text-slate-300">{resourceLabel(getValue())}</span>,
    enableSorting: false,
  }),
  column.accessor('operation_type', {
    header: 'Type',
    cell: ({ getValue }) => <span className="text-slate-700 dark:text-slate-300">{operationTypeLabels[getValue()]}</span>,
    enableSorting: false,
  }),
  column.accessor('connection_id', {
    id: 'connection',
    header: 'Connection',
    cell: ({ getValue }) => <ConnectionCell connectionId={getValue()} />,
    enableSorting: false,
  }),
  column.display({
    id: 'summary',
    header: 'Summary',
    cell: ({ row }) => <SummaryCell operation={row.original} />,
  }),
  column.accessor('attempt_count', {
    header: 'Attempts',
    cell: ({ getValue }) => (
      <span className={`tabular-nums ${getValue() > 1 ? 'font-semibold text-slate-900 dark:text-slate-100' : 'text-slate-600 dark:text-slate-400'}`}>
        {getValue()}
      </span>
    ),
    enableSorting: false,
  }),
  column.accessor('last_error_type', {
    header: 'Last error',
    cell: ({ getValue, row }) => {
      const type = getValue();
      if (!type) return <NoValue spoken="No error" />;
      const look = errorTypeLooks[type];
      // An operation that got through after failed attempts is no failure: said plainly, not in red.
      if (row.original.status === 'success') {
        return (
          <span title={`An attempt failed (${look.hint}), then one succeeded.`} className="text-slate-600 dark:text-slate-400">
            {look.label}
            <span className="sr-only">, </span>
            <span className="block text-xs">recovered</span>
          </span>
        );
      }
      return (
        <span title={look.hint} className="font-medium text-red-800 dark:text-red-300">
          {look.label}
        </span>
      );
    },
    enableSorting: false,
  }),
  column.accessor('updated_at', {
    id: 'updated_at',
    header: ({ column: col }) => <SortHeader column={col} label="Updated" />,
    cell: ({ getValue }) => <TimeCell value={getValue()} />,
    enableSorting: true,
    sortDescFirst: true,
  }),
]);

/** The same columns with a checkbox first, for roles that may resend. */
export const selectableOperationColumns = column.columns([
  column.display({
    id: 'select',
    header: ({ table }) => <SelectLoadedCheckbox table={table} />,
    cell: ({ row }) => <SelectRowCheckbox row={row} />,
  }),
  ...operationColumns,
]);

export const operationColumnWidths: Partial<Record<string, string>> = {
  select: '2.75rem',
  created_at: '7.5rem',
  status: '8.5rem',
  resource: '6rem',
  operation_type: '4.5rem',
  connection: '12.5rem',
  summary: 'auto',
  attempt_count: '5.75rem',
  last_error_type: '6.5rem',
  updated_at: '7.5rem',
};

/**
 * A card on a small screen: the checkbox before the title (who and what), then status, last
 * error, connection and when; select all and the two sorts stay reachable above the cards.
 */
export const operationCardLayout: CardLayout = {
  lead: ['select'],
  fields: ['status', 'last_error_type', 'connection', 'created_at'],
  labels: { created_at: 'Created', updated_at: 'Updated' },
  toolbar: ['select', 'created_at', 'updated_at'],
};

export const operationColumnClasses: Partial<Record<string, string>> = {
  attempt_count: 'text-right',
};

/** Pending well past its resource's usual time (the server's rule): said in words, not only by colour. */
function StuckMark() {
  return (
    <span
      title="Still pending well past the time this kind of write usually takes: it needs a look"
      className="inline-flex items-center gap-0.5 rounded px-1 text-xs font-medium text-amber-800 ring-1 ring-amber-600/30 ring-inset dark:text-amber-200 dark:ring-amber-400/40"
    >
      <AlertTriangleIcon aria-hidden="true" className="size-3" />
      Stuck
    </span>
  );
}
