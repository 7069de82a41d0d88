import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import { Button } from '../../../components/ui/button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { RefreshIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStaleBadge, QueryStates } from '../../../components/ui/query-states.tsx';
import type { Connection } from '../../../../contracts/directory-schemas.ts';
import { connectionQueries } from '../../../lib/connection-queries.ts';
import { connectionColumns, connectionTableFeatures } from './connection-columns.tsx';

const noConnections: Connection[] = [];

/** The partner's connections (one per fleet and TSP), data first: a failed refresh keeps the list. */
export function ConnectionsPanel() {
  const connections = useQuery(connectionQueries.list());
  const navigate = useNavigate();
  const items = connections.data?.items ?? noConnections;
  const table = useTable({
    features: connectionTableFeatures,
    columns: connectionColumns,
    data: items,
    getRowId: (connection) => connection.id,
  });

  const hasData = connections.data !== undefined;
  const notActive = items.filter((connection) => connection.status !== 'active').length;
  // Active at Catena yet every recent write refused: the ones a dispatcher must hear of first.
  const failing = items.filter((connection) => connection.health.state === 'failing').length;

  return (
    <Panel
      title="Connections"
      titleId="connections-heading"
      description={
        hasData && items.length > 0
          ? `${items.length} ${items.length === 1 ? 'connection' : 'connections'} · ${notActive === 0 ? 'all active' : `${notActive} not active`}${failing > 0 ? ` · ${failing} failing` : ''}`
          : 'Each connection links one fleet to its telematics provider (TSP).'
      }
      actions={
        <>
          <QueryStaleBadge query={connections} />
          {hasData ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => void connections.refetch()}
              disabled={connections.isFetching}
              aria-label="Refresh connections"
            >
              <RefreshIcon className={`size-4 ${connections.isFetching ? 'animate-spin' : ''}`} />
              <span className="hidden sm:inline">{connections.isFetching ? 'Refreshing…' : 'Refresh'}</span>
            </Button>
          ) : null}
        </>
      }
    >
      <QueryStates
        query={connections}
        loading={<ConnectionsSkeleton />}
        error={{ title: 'Could not load connections' }}
        empty={{
          when: (data) => data.items.length === 0,
          title: 'No connections yet',
          body: 'When a fleet connects its telematics provider to your Catena account (for example through Catena Connect), it appears here.',
        }}
      >
        {() => (
          <DataTable
            table={table}
            caption="Connections: fleet, TSP, status, health and description"
            rowHeaderColumnId="name"
            onRowClick={(row) => void navigate({ to: '/operations', search: { connection: [row.original.id] } })}
            columnClasses={{ status: 'w-32 whitespace-nowrap', tsp: 'w-40', health: 'min-w-56 max-w-80', description: 'min-w-64' }}
          />
        )}
      </QueryStates>
    </Panel>
  );
}

function ConnectionsSkeleton() {
  return (
    <div role="status" aria-live="polite" className="divide-y divide-slate-100 dark:divide-slate-800">
      <span className="sr-only">Loading connections…</span>
      {[0, 1, 2, 3].map((row) => (
        <div key={row} aria-hidden="true" className="flex animate-pulse items-center gap-6 px-4 py-4">
          <div className="h-3.5 w-44 rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-3.5 w-20 rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-5 w-16 rounded-full bg-slate-200 dark:bg-slate-800" />
          <div className="hidden h-3.5 flex-1 rounded bg-slate-100 sm:block dark:bg-slate-800/70" />
        </div>
      ))}
    </div>
  );
}
