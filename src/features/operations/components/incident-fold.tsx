import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import type { Incident } from '../../../../contracts/incident-schemas.ts';
import { ErrorTypeBadge, OperationStatusBadge } from '../../../components/ui/operation-badges.tsx';
import { formatLocal } from '../../../lib/format.ts';
import { incidentQueries } from '../../../lib/incident-queries.ts';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import type { LiveMode } from '../../../lib/live-polling.ts';
import { operationQueries, type OperationsSortState } from '../api/operation-queries.ts';
import type { OperationsFilterState } from '../operations-search-schemas.ts';
import { resourceLabel } from './operation-looks.tsx';
import type { ConnectionOption } from './operations-table-context.ts';

/** How many of an incident's failures the expanded row lists; the rest are one link away, as the table. */
const SHOWN_WHEN_EXPANDED = 50;

type Props = {
  incident: Incident;
  filters: OperationsFilterState;
  sort: OperationsSortState;
  live: LiveMode;
  connections: ReadonlyMap<string, ConnectionOption>;
  onOpen: (operationId: string) => void;
};

/**
 * One row for an open provider incident's failures (decision 0045): the table leaves them out and
 * this says how many of them match the filters — "37 failed writes in the Geotab incident" — and
 * shows them on request, each opening in the drawer as a table row does.
 */
export function IncidentFold({ incident, filters, sort, live, connections, onOpen }: Props) {
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const scoped = { ...filters, incident: incident.id, fold: [] };
  const summary = useQuery(operationQueries.summary(scoped, live));
  const rows = useInfiniteQuery({ ...operationQueries.list(scoped, sort, live), enabled: expanded });
  const count = summary.data?.total ?? 0;
  if (count === 0) return null;
  const tsp = tspDisplayName(incident.tsp);
  const items = rows.data?.pages[0]?.items.slice(0, SHOWN_WHEN_EXPANDED) ?? [];
  return (
    <section
      aria-label={`Failed writes in the ${tsp} incident`}
      className="rounded-lg border border-amber-300 bg-amber-50/60 text-sm dark:border-amber-700 dark:bg-amber-950/30"
    >
      <div className="flex flex-wrap items-center gap-3 px-4 py-2.5">
        <p className="min-w-0 flex-1 text-amber-950 dark:text-amber-100">
          <span className="font-semibold">
            {count} failed {count === 1 ? 'write' : 'writes'} in the {tsp} incident
          </span>{' '}
          (degraded since {formatLocal(incident.since)}), folded into this row.
        </p>
        <button
          type="button"
          aria-expanded={expanded}
          // Names the list only while it exists: a control pointing at nothing confuses screen readers.
          aria-controls={expanded ? listId : undefined}
          onClick={() => setExpanded((value) => !value)}
          className="rounded-md px-2 py-1 font-medium text-amber-900 underline underline-offset-2 hover:no-underline focus-visible:outline-2 dark:text-amber-100"
        >
          {expanded ? 'Hide' : 'Show'} them
        </button>
      </div>
      {expanded ? (
        <div id={listId} className="border-t border-amber-200 px-4 py-2 dark:border-amber-800">
          {rows.isPending ? <p role="status">Loading the failed writes…</p> : null}
          <ul className="divide-y divide-amber-100 dark:divide-amber-900">
            {items.map((op) => (
              <li key={op.id} className="flex flex-wrap items-center gap-3 py-1.5">
                <OperationStatusBadge status={op.status} />
                {op.last_error_type ? <ErrorTypeBadge errorType={op.last_error_type} /> : null}
                <span className="min-w-0 flex-1 truncate">
                  {connections.get(op.connection_id.toLowerCase())?.name ?? op.connection_id.slice(0, 8)} · {resourceLabel(op.resource)} ·{' '}
                  {formatLocal(op.updated_at)}
                </span>
                <button type="button" onClick={() => onOpen(op.id)} className="font-medium underline underline-offset-2 hover:no-underline">
                  Open {op.id.slice(0, 8)}
                </button>
              </li>
            ))}
          </ul>
          {count > items.length && items.length > 0 ? (
            <p className="py-1.5">
              <Link to="/operations" search={{ incident: incident.id }} className="font-medium underline underline-offset-2">
                All {count} in the table
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/**
 * Says what the table shows when it is one incident's failures (`?incident=`, from the banner or
 * a folded row): which provider, since when, whether it has recovered, and the way back to every
 * operation. Without it the table would be narrowed by a filter no control names.
 */
export function IncidentScope({ incidentId, onShowAll }: { incidentId: string; onShowAll: () => void }) {
  const incident = useQuery(incidentQueries.detail(incidentId));
  const data = incident.data;
  const what = data
    ? `the ${tspDisplayName(data.tsp)} incident (degraded since ${formatLocal(data.since)}${data.closed_at ? `, recovered at ${formatLocal(data.closed_at)}` : ', still open'})`
    : incident.isError
      ? 'a provider incident the console could not read'
      : 'a provider incident';
  return (
    <section
      aria-label="Provider incident shown"
      className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50/60 px-4 py-2.5 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/30 dark:text-amber-100"
    >
      <p className="min-w-0 flex-1">Showing only the failed writes of {what}.</p>
      <button
        type="button"
        onClick={onShowAll}
        className="rounded-md px-2 py-1 font-medium underline underline-offset-2 hover:no-underline focus-visible:outline-2"
      >
        Show all operations
      </button>
    </section>
  );
}
