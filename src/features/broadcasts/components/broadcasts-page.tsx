import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { Broadcast } from '../../../../contracts/broadcast-schemas.ts';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { RefreshIcon, SendIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStaleBadge, QueryStates } from '../../../components/ui/query-states.tsx';
import { broadcastQueries, isUnderWay } from '../../../lib/broadcast-queries.ts';
import { useCan } from '../../../lib/use-session.ts';
import { broadcastCardLayout, broadcastColumnClasses, broadcastColumns, broadcastTableFeatures } from './broadcast-columns.tsx';

const noBroadcasts: Broadcast[] = [];

/** "/broadcasts": every broadcast, newest first, each with its recipients' progress, live. */
export function BroadcastsPage() {
  const broadcasts = useInfiniteQuery(broadcastQueries.list());
  const navigate = useNavigate();
  const items = useMemo(() => broadcasts.data?.pages.flatMap((page) => page.items) ?? noBroadcasts, [broadcasts.data]);
  const table = useTable({
    features: broadcastTableFeatures,
    columns: broadcastColumns,
    data: items,
    getRowId: (broadcast) => broadcast.id,
  });

  // Composing needs the `send` capability; the server refuses it to other roles, so it is not offered.
  const maySend = useCan('send');
  const hasData = broadcasts.data !== undefined;
  const underWay = items.filter((item) => isUnderWay(item.counts)).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Broadcasts</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
            One text sent to many drivers of a connection, one message each. Follow every recipient until the TSP has it.
          </p>
        </div>
        {maySend ? (
          <Link to="/compose" className={buttonClasses({ variant: 'primary' })}>
            <SendIcon className="size-4" />
            New message
          </Link>
        ) : null}
      </div>

      <Panel
        title="All broadcasts"
        titleId="broadcasts-heading"
        description={
          hasData && items.length > 0
            ? underWay > 0
              ? `${underWay} under way · updating live`
              : 'Every recipient has a final status.'
            : 'Newest first.'
        }
        actions={
          <>
            <QueryStaleBadge query={broadcasts} />
            {hasData ? (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => void broadcasts.refetch()}
                disabled={broadcasts.isFetching}
                aria-label="Refresh broadcasts"
              >
                <RefreshIcon className={`size-4 ${broadcasts.isFetching ? 'animate-spin' : ''}`} />
                <span className="hidden sm:inline">{broadcasts.isFetching ? 'Refreshing…' : 'Refresh'}</span>
              </Button>
            ) : null}
          </>
        }
      >
        <QueryStates
          query={broadcasts}
          loading="Loading broadcasts…"
          error={{ title: 'Could not load broadcasts' }}
          empty={{
            when: () => items.length === 0,
            title: 'No broadcasts yet',
            body: 'Choose several drivers, or all drivers of a connection, on the Compose page: the broadcast appears here with every recipient’s progress.',
            action: maySend ? (
              <Link to="/compose" className={buttonClasses({ variant: 'primary' })}>
                Compose a message
              </Link>
            ) : undefined,
          }}
        >
          {() => (
            <>
              <DataTable
                table={table}
                caption="Broadcasts: when, message, sender, connection and recipients’ progress"
                rowHeaderColumnId="message_text"
                columnClasses={broadcastColumnClasses}
                card={broadcastCardLayout}
                onRowClick={(row) => void navigate({ to: '/broadcasts/$broadcastId', params: { broadcastId: row.original.id }, search: {} })}
              />
              {broadcasts.hasNextPage ? (
                <div className="border-t border-slate-100 px-4 py-3 text-center dark:border-slate-800">
                  <Button size="sm" onClick={() => void broadcasts.fetchNextPage()} disabled={broadcasts.isFetchingNextPage}>
                    {broadcasts.isFetchingNextPage ? 'Loading more…' : 'Show older broadcasts'}
                  </Button>
                </div>
              ) : null}
            </>
          )}
        </QueryStates>
      </Panel>
    </div>
  );
}
