import { Link } from '@tanstack/react-router';
import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { Connection } from '../../../../contracts/directory-schemas.ts';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import { ConnectionStatusBadge } from '../../../components/ui/connection-status-badge.tsx';
import { ConnectionFailuresLink, ConnectionHealthBadge, healthSince, needsAttention } from '../../../components/ui/connection-health-badge.tsx';

export const connectionTableFeatures = tableFeatures({});
const column = createColumnHelper<typeof connectionTableFeatures, Connection>();

export const connectionColumns = column.columns([
  column.accessor('name', {
    header: 'Fleet',
    cell: ({ row }) => (
      <div className="min-w-40">
        {/* The row's link: keyboard users open its operations here; a click anywhere on the row does the same. */}
        <Link
          to="/operations"
          search={{ connection: [row.original.id] }}
          aria-label={`${row.original.name}: its operations`}
          className="font-medium text-slate-900 underline-offset-2 hover:text-brand-700 hover:underline dark:text-slate-50 dark:hover:text-brand-300"
        >
          {row.original.name}
        </Link>
        {row.original.fleet_ref ? (
          <div className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">
            <span className="sr-only">Fleet reference </span>
            {row.original.fleet_ref}
          </div>
        ) : null}
      </div>
    ),
  }),
  column.accessor('tsp', {
    header: 'TSP',
    cell: ({ getValue }) => (
      <span className="whitespace-nowrap text-slate-700 dark:text-slate-300" title={getValue()}>
        {tspDisplayName(getValue())}
      </span>
    ),
  }),
  column.accessor('status', {
    header: 'Status',
    cell: ({ getValue }) => <ConnectionStatusBadge status={getValue()} />,
  }),
  column.accessor('health', {
    header: 'Health',
    // The console's own judgement from recent writes; Catena's status is the column before.
    cell: ({ row }) => {
      const { health } = row.original;
      const since = healthSince(health);
      return (
        <div className="min-w-48 space-y-1">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <ConnectionHealthBadge health={health} />
            {needsAttention(health) && since ? <span className="text-xs text-slate-500 dark:text-slate-400">{since}</span> : null}
          </div>
          {needsAttention(health) ? (
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {health.reason} <ConnectionFailuresLink connection={row.original} health={health} />
            </p>
          ) : null}
        </div>
      );
    },
  }),
  column.accessor('description', {
    header: 'Description',
    cell: ({ getValue }) => {
      const description = getValue();
      return description ? (
        <span className="text-slate-600 dark:text-slate-400">{description}</span>
      ) : (
        <span className="text-slate-400 dark:text-slate-500">
          <span aria-hidden="true">—</span>
          <span className="sr-only">No description</span>
        </span>
      );
    },
  }),
]);
