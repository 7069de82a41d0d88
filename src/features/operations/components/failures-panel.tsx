import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId } from 'react';
import { QueryStates } from '../../../components/ui/query-states.tsx';
import { connectionQueries } from '../../../lib/connection-queries.ts';
import { operationQueries } from '../api/operation-queries.ts';
import { resourceLabel } from './operation-looks.tsx';

/**
 * The Overview's "what failed": per connection, how many writes of each resource failed in the
 * last 24 hours, each a link to the Operations page filtered to exactly those.
 */
export function FailuresPanel() {
  const headingId = useId();
  const failures = useQuery(operationQueries.failures());
  const connections = useQuery(connectionQueries.list());
  const nameOf = (id: string) => connections.data?.items.find((c) => c.id === id)?.name ?? `Connection ${id.slice(0, 8)}`;
  const byConnection = new Map<string, { resource: string; failed: number }[]>();
  for (const item of failures.data?.items ?? []) byConnection.set(item.connection_id, [...(byConnection.get(item.connection_id) ?? []), item]);

  return (
    <section aria-labelledby={headingId} className="rounded-xl bg-white p-5 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <h2 id={headingId} className="text-base font-semibold text-slate-900 dark:text-white">
        Failed writes in the last 24 hours
      </h2>
      <QueryStates
        query={failures}
        loading="Loading…"
        error={{
          title: 'Could not load the failed writes',
          body: 'The console server did not answer. It tries again every 30 seconds.',
          action: false,
        }}
        empty={{ when: () => byConnection.size === 0, title: 'No write failed in the last 24 hours' }}
      >
        {() => (
          <ul className="mt-3 divide-y divide-slate-100 dark:divide-slate-800">
            {[...byConnection]
              .sort(([a], [b]) => nameOf(a).localeCompare(nameOf(b)))
              .map(([connectionId, items]) => (
                <li key={connectionId} className="py-2.5">
                  <h3 className="text-sm font-medium text-slate-900 dark:text-slate-100">{nameOf(connectionId)}</h3>
                  <ul aria-label={`Failed writes of ${nameOf(connectionId)}`} className="mt-1 flex flex-wrap gap-2">
                    {items.map((item) => (
                      <li key={item.resource}>
                        <Link
                          to="/operations"
                          search={{ connection: [connectionId], resource: [item.resource], status: ['failed'] }}
                          className="inline-flex items-center gap-1.5 rounded-md bg-red-50 px-2 py-1 text-xs font-medium text-red-800 ring-1 ring-red-600/20 ring-inset hover:underline dark:bg-red-500/10 dark:text-red-200"
                        >
                          {item.failed.toLocaleString('en-US')} {resourceLabel(item.resource).toLowerCase()}
                          {item.failed === 1 ? '' : ' writes'} failed
                        </Link>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
          </ul>
        )}
      </QueryStates>
    </section>
  );
}
