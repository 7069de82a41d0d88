import { useQuery } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { KeyboardIcon } from '../../../components/ui/action-icons.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { incidentQueries } from '../../../lib/incident-queries.ts';
import { useKeyboardShortcuts } from '../../../lib/use-keyboard-shortcuts.ts';
import { useNow } from '../../../lib/use-now.ts';
import { userQueries } from '../../../lib/user-queries.ts';
import { useLiveIntervalMs, useTimeDisplay } from '../../../stores/preferences-store.ts';
import { operationQueries, type OperationsSortState } from '../api/operation-queries.ts';
import { clearedSearch, filterStateOf, hasActiveFilters, type OperationsSearchInput } from '../operations-search-schemas.ts';
import { operationsRoute } from '../operations-route.ts';
import { frozenRange, timeRangeLabels } from '../time-range.ts';
import { CopyLinkButton } from './copy-link-button.tsx';
import { IncidentFold, IncidentScope } from './incident-fold.tsx';
import { OperationDrawer } from './drawer/operation-drawer.tsx';
import { LiveControl, ViewOptions } from './live-controls.tsx';
import { OperationCounts } from './operation-counts.tsx';
import { OperationsFilters } from './operations-filters.tsx';
import { OperationsTable, type OperationsSelection } from './operations-table.tsx';
import type { ConnectionOption } from './operations-table-context.ts';
import type { Person } from '../message-people.ts';
import { OperationsTimeline } from './operations-timeline.tsx';
import { ShortcutsDialog } from './shortcuts-dialog.tsx';

const noPeople: ReadonlyMap<string, Person> = new Map();

/**
 * "/operations": what failed, why, and who must act; whether messages landed. Everything the
 * reader narrows (filters, range, sort, the open operation) lives in the URL; how this device
 * shows things (times, density, refresh rate) in the preferences store; live mode's pause is
 * this visit's own.
 */
export function OperationsPage({
  connections,
  selectionActions,
}: {
  connections: readonly ConnectionOption[] | undefined;
  /** What can be done with selected operations (the app composes in bulk resend). */
  selectionActions?: (selection: OperationsSelection) => ReactNode;
}) {
  const search = operationsRoute.useSearch();
  const navigate = operationsRoute.useNavigate();
  const router = useRouter();
  const filters = useMemo(() => filterStateOf(search), [search]);
  const sort = useMemo<OperationsSortState>(() => ({ sort: search.sort, order: search.order }), [search.sort, search.order]);
  const filtered = hasActiveFilters(search);
  // Open provider incidents fold their failures into one row each, unless one of them is what is shown.
  const openIncidents = useQuery(incidentQueries.open());
  const folded = useMemo(() => (search.incident ? [] : (openIncidents.data?.items ?? [])), [search.incident, openIncidents.data]);
  const tableFilters = useMemo(() => (folded.length > 0 ? { ...filters, fold: folded.map((incident) => incident.id) } : filters), [filters, folded]);

  const [paused, setPaused] = useState(false);
  const intervalMs = useLiveIntervalMs();
  const live = useMemo(() => ({ intervalMs: paused ? (false as const) : intervalMs }), [paused, intervalMs]);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const searchInputRef = useRef<HTMLInputElement>(null);

  const users = useQuery(userQueries.list());
  const people = useMemo(() => (users.data ? new Map(users.data.items.map((user) => [user.id.toLowerCase(), user])) : noPeople), [users.data]);
  const connectionsById = useMemo(() => new Map((connections ?? []).map((connection) => [connection.id.toLowerCase(), connection])), [connections]);

  const update = useCallback((patch: OperationsSearchInput) => void navigate({ search: (previous) => ({ ...previous, ...patch }) }), [navigate]);
  const clearFilters = useCallback(() => void navigate({ search: clearedSearch(search) }), [navigate, search]);
  const openOperation = useCallback((op: string) => void navigate({ search: (previous) => ({ ...previous, op }) }), [navigate]);
  const closeOperation = useCallback(() => void navigate({ search: (previous) => ({ ...previous, op: undefined }), replace: true }), [navigate]);

  const makeLink = () => {
    const location = router.buildLocation({
      to: '/operations',
      search: { ...search, ...frozenRange(filters, Date.now()) },
    });
    return new URL(location.href, window.location.origin).toString();
  };

  useKeyboardShortcuts(
    {
      '/': (event) => {
        event.preventDefault();
        searchInputRef.current?.focus();
      },
      '?': (event) => {
        event.preventDefault();
        setShortcutsOpen(true);
      },
    },
    { enabled: !search.op && !shortcutsOpen },
  );

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Operations</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
            Every write to Catena as it goes from accepted to delivered or failed: what failed, why, and who must act.
          </p>
        </div>
        <div className="flex items-center gap-2">
          <CopyLinkButton makeLink={makeLink} />
          <Button size="sm" variant="ghost" onClick={() => setShortcutsOpen(true)} aria-keyshortcuts="?">
            <KeyboardIcon className="size-4" />
            Keyboard shortcuts
          </Button>
        </div>
      </div>

      <OperationsFilters
        search={search}
        connections={connections}
        filtered={filtered}
        onChange={update}
        onClear={clearFilters}
        searchInputRef={searchInputRef}
      />

      <OperationsGlance filters={filters} live={live} status={search.status} error={search.error} stuck={search.stuck === true} onChange={update} />

      {search.incident ? <IncidentScope incidentId={search.incident} onShowAll={() => update({ incident: undefined })} /> : null}

      {folded.map((incident) => (
        <IncidentFold
          key={incident.id}
          incident={incident}
          filters={filters}
          sort={sort}
          live={live}
          connections={connectionsById}
          onOpen={openOperation}
        />
      ))}

      <OperationsTable
        // What the reader chose, not which incidents are folded: an incident opening or closing
        // changes the rows (kept on screen until the new ones come), not the reader's place.
        view={JSON.stringify([filters, sort])}
        filters={tableFilters}
        sort={sort}
        live={live}
        paused={paused}
        connections={connectionsById}
        people={people}
        openOperationId={search.op}
        // j/k also work with the drawer open: they move it to the next/previous operation.
        keyboardEnabled={!shortcutsOpen}
        filtered={filtered}
        onOpen={openOperation}
        onSortChange={update}
        onClearFilters={clearFilters}
        selectionActions={selectionActions}
        controls={
          <>
            <ViewOptions />
            <LiveControl paused={paused} onPausedChange={setPaused} />
          </>
        }
      />

      {search.op ? <OperationDrawer operationId={search.op} onClose={closeOperation} onOpenOperation={openOperation} /> : null}
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}

/** Counts and the timeline for the current filters, above the table. */
function OperationsGlance({
  filters,
  live,
  status,
  error,
  stuck,
  onChange,
}: {
  filters: ReturnType<typeof filterStateOf>;
  live: { intervalMs: number | false };
  status: ReturnType<typeof filterStateOf>['status'];
  error: ReturnType<typeof filterStateOf>['error'];
  stuck: boolean;
  onChange: (patch: OperationsSearchInput) => void;
}) {
  const summary = useQuery(operationQueries.summary(filters, live));
  const timeline = useQuery(operationQueries.timeline(filters, live));
  const timeDisplay = useTimeDisplay();
  const now = useNow(60_000);
  const rangeLabel = timeRangeLabels[filters.range];

  return (
    <section
      aria-labelledby="operations-glance-heading"
      className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs sm:p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="operations-glance-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
          {summary.data ? `${summary.data.total.toLocaleString()} ${summary.data.total === 1 ? 'operation' : 'operations'}` : 'Operations'}
          <span className="font-normal text-slate-500 dark:text-slate-400"> · {rangeLabel.toLowerCase()}</span>
        </h2>
        <p className="text-xs text-slate-500 dark:text-slate-400">Press a count to show only those.</p>
      </div>
      <div className="mt-4 grid gap-6 lg:grid-cols-[minmax(0,27rem)_minmax(0,1fr)]">
        {summary.data ? (
          <OperationCounts summary={summary.data} status={status} error={error} stuck={stuck} onChange={onChange} />
        ) : summary.isError ? (
          <p role="alert" className="text-sm text-red-800 dark:text-red-300">
            Could not load the counts: {errorMessage(summary.error)}
          </p>
        ) : (
          <div aria-hidden="true" className="grid animate-pulse grid-cols-4 gap-2">
            {Array.from({ length: 8 }, (_, index) => (
              <div key={index} className="h-14 rounded-lg bg-slate-100 dark:bg-slate-800" />
            ))}
          </div>
        )}
        {timeline.data ? (
          <OperationsTimeline
            timeline={timeline.data}
            rangeLabel={rangeLabel}
            timeDisplay={timeDisplay}
            now={now}
            onSelectRange={({ from, to }) => onChange({ range: 'custom', from, to })}
          />
        ) : timeline.isError ? (
          <p role="alert" className="text-sm text-red-800 dark:text-red-300">
            Could not load the timeline: {errorMessage(timeline.error)}
          </p>
        ) : (
          <div aria-hidden="true" className="h-36 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" />
        )}
      </div>
    </section>
  );
}
