import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { functionalUpdate, useTable, type RowSelectionState, type SortingState } from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { operationSortSchema, type Operation, type OperationFilters, type OperationSort } from '../../../../contracts/operation-schemas.ts';
import { ArrowUpIcon } from '../../../components/ui/action-icons.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { VirtualDataTable, type VirtualDataTableHandle } from '../../../components/ui/data-table.tsx';
import { QueryStates } from '../../../components/ui/query-states.tsx';
import { openModalCount } from '../../../components/ui/use-modal.ts';
import { errorMessage } from '../../../lib/api-client.ts';
import type { LiveMode } from '../../../lib/live-polling.ts';
import { useKeyboardShortcuts } from '../../../lib/use-keyboard-shortcuts.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useCan } from '../../../lib/use-session.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { frozenFilters, operationQueries, type OperationsSortState } from '../api/operation-queries.ts';
import type { OperationsFilterState } from '../operations-search-schemas.ts';
import {
  operationCardLayout,
  operationColumnClasses,
  operationColumns,
  operationColumnWidths,
  operationTableFeatures,
  selectableOperationColumns,
} from './operation-columns.tsx';
import { Freshness } from './live-controls.tsx';
import { OperationsTableContext, type ConnectionOption } from './operations-table-context.ts';
import type { Person } from '../message-people.ts';

/**
 * The operations list: cursor pages loaded as the reader scrolls, rows virtualized, refreshed
 * in place by polling (house style #5, #6).
 *
 * New rows never push the list under a reader. While the reader is "reading" (scrolled down,
 * pointer over the rows, focus in the table, or the drawer open), rows newer than the top row
 * they last saw are held back behind an "N new operations" button; at the top and idle, they just
 * appear. The held rows are a prefix of the sorted list, so holding them only hides that prefix:
 * nothing is copied out of the query cache.
 */

type SortKey = { value: string; id: string };

function sortKeyOf(operation: Operation, sort: OperationSort): SortKey {
  return { value: sort === 'updated_at' ? operation.updated_at : operation.created_at, id: operation.id };
}

/** How many rows at the top are newer (in a descending sort) than `anchor`. */
function countNewer(rows: readonly Operation[], anchor: SortKey, sort: OperationSort): number {
  const anchorMs = Date.parse(anchor.value);
  let count = 0;
  for (const row of rows) {
    const key = sortKeyOf(row, sort);
    const ms = Date.parse(key.value);
    if (ms > anchorMs || (ms === anchorMs && key.id > anchor.id)) count++;
    else break;
  }
  return count;
}

const noOperations: Operation[] = [];
const noSelection: RowSelectionState = {};

/**
 * What is selected for a bulk action: some operations by id, or everything the filter matches
 * (then the whole result on the server, not the rows loaded here).
 */
export type OperationsSelection = {
  request: { operation_ids: string[] } | { filter: OperationFilters };
  count: number;
  clear: () => void;
};
const INTERACTIVE = 'a[href],button,input,select,textarea,summary,[contenteditable="true"]';

export type OperationsTableProps = {
  filters: OperationsFilterState;
  sort: OperationsSortState;
  live: LiveMode;
  paused: boolean;
  connections: ReadonlyMap<string, ConnectionOption>;
  people: ReadonlyMap<string, Person>;
  openOperationId: string | undefined;
  keyboardEnabled: boolean;
  filtered: boolean;
  onOpen: (operationId: string) => void;
  onSortChange: (sort: OperationsSortState) => void;
  onClearFilters: () => void;
  /** The panel header's right side, next to the freshness line. */
  controls: ReactNode;
  /**
   * What can be done with selected rows ("Resend…"). With it, roles that may resend get a
   * checkbox per row and a selection bar. The selection is this view's own and starts empty for
   * every view (see `view`).
   */
  selectionActions?: ((selection: OperationsSelection) => ReactNode) | undefined;
  /**
   * What the reader chose (their filters and sort, not which incidents are folded). When it
   * changes, the selection, the rows held back and the scroll start afresh, while the previous
   * rows stay on screen, dimmed, until the new ones come (decision 0008): the table is not
   * remounted.
   */
  view: string;
};

export function OperationsTable({
  filters,
  sort,
  live,
  paused,
  connections,
  people,
  openOperationId,
  keyboardEnabled,
  filtered,
  onOpen,
  onSortChange,
  onClearFilters,
  controls,
  selectionActions,
  view,
}: OperationsTableProps) {
  const list = useInfiniteQuery(operationQueries.list(filters, sort, live));
  const tableRef = useRef<VirtualDataTableHandle>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const selectable = useCan('resend') && selectionActions !== undefined;
  // The same counts the page shows above: "Select all N matching" offers exactly that N.
  const summary = useQuery({ ...operationQueries.summary(filters, live), enabled: selectable });

  // Pages can overlap when a row moves between two page loads (sorting by "updated"): keep the first.
  const allRows = useMemo(() => {
    const pages = list.data?.pages;
    if (!pages) return noOperations;
    const seen = new Set<string>();
    const rows: Operation[] = [];
    for (const page of pages) {
      for (const operation of page.items) {
        if (seen.has(operation.id)) continue;
        seen.add(operation.id);
        rows.push(operation);
      }
    }
    return rows;
  }, [list.data]);

  // ----- holding new rows back while someone reads -----
  const [scrolledAway, setScrolledAway] = useState(false);
  const [pointerInside, setPointerInside] = useState(false);
  const [focusInside, setFocusInside] = useState(false);
  const [anchor, setAnchor] = useState<SortKey | null>(null);
  const holds = sort.order === 'desc';
  const reading = holds && (scrolledAway || pointerInside || focusInside || openOperationId !== undefined);
  const firstRow = allRows[0];
  // Adjusting state while rendering (not in an effect): the anchor is where the list stood when
  // reading began, and is let go when it ends. Placeholder rows of another filter are no anchor.
  if (reading && anchor === null && firstRow && !list.isPlaceholderData) setAnchor(sortKeyOf(firstRow, sort.sort));
  if (!reading && anchor !== null) setAnchor(null);
  const heldCount = reading && anchor ? countNewer(allRows, anchor, sort.sort) : 0;
  const rows = useMemo(() => (heldCount > 0 ? allRows.slice(heldCount) : allRows), [allRows, heldCount]);

  const showHeld = () => {
    if (firstRow) setAnchor(sortKeyOf(firstRow, sort.sort));
    tableRef.current?.scrollToTop();
    setScrolledAway(false);
  };

  // ----- selection: some rows by id, or everything the filter matches -----
  const [pickedRows, setPickedRows] = useState<RowSelectionState>(noSelection);
  const [allMatching, setAllMatching] = useState<{ filter: OperationFilters; total: number } | null>(null);

  // ----- another view: what belonged to the previous one starts afresh (adjusted while rendering) -----
  const [shownView, setShownView] = useState(view);
  if (shownView !== view) {
    setShownView(view);
    setPickedRows(noSelection);
    setAllMatching(null);
    setAnchor(null);
    setScrolledAway(false);
  }
  // The new view's rows start at the top. `view` is the trigger, not something the effect reads.
  // oxlint-disable-next-line react/exhaustive-deps
  useEffect(() => {
    tableRef.current?.scrollToTop();
  }, [view]);
  // Everything matching shows every loaded row as selected; unticking one goes back to rows by id.
  const allLoaded = useMemo<RowSelectionState>(
    () => (allMatching ? Object.fromEntries(rows.map((row) => [row.id, true as const])) : noSelection),
    [allMatching, rows],
  );
  const rowSelection = allMatching ? allLoaded : pickedRows;
  const selectedCount = allMatching ? allMatching.total : Object.keys(pickedRows).length;
  const matchingTotal = summary.data?.total;
  const clearSelection = useCallback(() => {
    setPickedRows(noSelection);
    setAllMatching(null);
    // The bar (and the button just pressed) goes away: focus stays in the table.
    sectionRef.current?.querySelector<HTMLElement>('input[aria-label="Select all loaded operations"]')?.focus();
  }, []);
  const selection = useMemo<OperationsSelection>(
    () => ({
      request: allMatching ? { filter: allMatching.filter } : { operation_ids: Object.keys(pickedRows) },
      count: selectedCount,
      clear: clearSelection,
    }),
    [allMatching, pickedRows, selectedCount, clearSelection],
  );

  // ----- the table -----
  const sorting = useMemo<SortingState>(() => [{ id: sort.sort, desc: sort.order === 'desc' }], [sort]);
  const table = useTable({
    features: operationTableFeatures,
    columns: selectable ? selectableOperationColumns : operationColumns,
    data: rows,
    getRowId: (operation) => operation.id,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: selectable,
    state: { sorting, rowSelection },
    onRowSelectionChange: (updater) => {
      setPickedRows(functionalUpdate(updater, rowSelection));
      setAllMatching(null);
    },
    onSortingChange: (updater) => {
      const next = functionalUpdate(updater, sorting)[0];
      const field = operationSortSchema.safeParse(next?.id);
      if (!next || !field.success) return;
      onSortChange({ sort: field.data, order: next.desc ? 'desc' : 'asc' });
    },
  });

  // ----- keyboard: j/k move between rows, Enter opens; focus comes back to the row on close.
  // While the drawer is open, j/k open the next/previous operation in it (the drawer follows);
  // focus stays in the drawer. -----
  const [activeId, setActiveId] = useState<string | null>(null);
  const focusFrame = useRef(0);
  useEffect(() => () => cancelAnimationFrame(focusFrame.current), []);

  const focusRow = useCallback((operationId: string) => {
    cancelAnimationFrame(focusFrame.current);
    const attempt = (left: number) => {
      const link = tableRef.current?.rowElement(operationId)?.querySelector<HTMLElement>('a[href]');
      if (link) link.focus({ preventScroll: true });
      // Scrolled to it just now: the row renders on one of the next frames.
      else if (left > 0) focusFrame.current = requestAnimationFrame(() => attempt(left - 1));
    };
    attempt(10);
  }, []);

  const drawerOpen = openOperationId !== undefined;
  // The drawer is a modal of its own; anything opened on top of it (a resend confirmation) or of
  // the page (the bulk resend preview) has the keyboard to itself.
  const keysAreOurs = () => openModalCount() === (drawerOpen ? 1 : 0);

  const moveBy = (delta: number) => {
    if (rows.length === 0 || !keysAreOurs()) return;
    const current = rows.findIndex((row) => row.id === activeId);
    const next = current === -1 ? 0 : Math.min(Math.max(current + delta, 0), rows.length - 1);
    const target = rows[next];
    if (!target) return;
    setActiveId(target.id);
    tableRef.current?.scrollToIndex(next);
    if (drawerOpen) {
      if (target.id !== openOperationId) onOpen(target.id);
    } else {
      focusRow(target.id);
    }
  };

  useKeyboardShortcuts(
    {
      j: () => moveBy(1),
      k: () => moveBy(-1),
      x: () => {
        if (!selectable || !activeId || drawerOpen || !keysAreOurs()) return;
        table.getRow(activeId, true)?.toggleSelected();
      },
      Enter: (event) => {
        if (drawerOpen || !keysAreOurs()) return;
        // On a link or a button Enter already does its own thing.
        if (event.target instanceof Element && event.target.closest(INTERACTIVE)) return;
        if (activeId && rows.some((row) => row.id === activeId)) {
          event.preventDefault();
          onOpen(activeId);
        }
      },
    },
    { enabled: keyboardEnabled },
  );

  // The row whose drawer is open is the active one, however it was opened (click, link, URL).
  const [lastOpened, setLastOpened] = useState(openOperationId);
  if (openOperationId !== lastOpened) {
    setLastOpened(openOperationId);
    if (openOperationId) setActiveId(openOperationId);
  }
  // The drawer closed: focus goes back to the row it showed.
  const previousOpen = useRef(openOperationId);
  useEffect(() => {
    const closed = previousOpen.current;
    previousOpen.current = openOperationId;
    if (closed && openOperationId === undefined) focusRow(closed);
  }, [openOperationId, focusRow]);

  const onRowClick = useCallback((row: { id: string }) => onOpen(row.id), [onOpen]);
  const onEndReached = useCallback(() => {
    if (list.hasNextPage && !list.isFetchingNextPage && !list.isFetchNextPageError) void list.fetchNextPage();
  }, [list]);

  // ----- what to show -----
  const hasData = list.data !== undefined;
  const refreshFailed = list.isRefetchError && hasData ? errorMessage(list.error) : null;

  const body = (
    <QueryStates
      query={list}
      loading={<TableSkeleton />}
      error={{ title: 'Could not load operations' }}
      empty={
        filtered
          ? {
              when: () => allRows.length === 0 && !list.isPlaceholderData,
              kind: 'no-match',
              title: 'No operations match these filters',
              body: 'Try a longer time range, fewer filters or other words.',
              action: (
                <Button variant="secondary" onClick={onClearFilters}>
                  Clear filters
                </Button>
              ),
            }
          : {
              when: () => allRows.length === 0 && !list.isPlaceholderData,
              title: 'No operations yet',
              body: 'Every message the console sends, and every write Catena reports, shows up here within seconds. This view covers the last 24 hours.',
            }
      }
    >
      {() => (
        <div className="relative">
          <div role="status" aria-live="polite" className="pointer-events-none absolute inset-x-0 top-12 z-20 flex justify-center">
            {heldCount > 0 ? (
              <button
                type="button"
                onClick={showHeld}
                className="pointer-events-auto inline-flex items-center gap-1.5 rounded-full bg-brand-600 px-3.5 py-1.5 text-sm font-semibold text-white shadow-lg shadow-brand-900/20 hover:bg-brand-700 dark:bg-brand-500 dark:text-slate-950 dark:hover:bg-brand-400"
              >
                <ArrowUpIcon className="size-4" />
                {heldCount} {sort.sort === 'updated_at' ? 'updated' : 'new'} {heldCount === 1 ? 'operation' : 'operations'}
              </button>
            ) : null}
          </div>
          <TableClock connections={connections} people={people}>
            <VirtualDataTable
              ref={tableRef}
              table={table}
              caption="Operations: created, status, resource, type, connection, summary, attempts, last error and updated"
              rowHeaderColumnId="summary"
              columnWidths={operationColumnWidths}
              columnClasses={operationColumnClasses}
              card={operationCardLayout}
              className="h-[min(70vh,46rem)] min-h-96"
              dimmed={list.isPlaceholderData}
              rowCount={list.hasNextPage ? -1 : rows.length + 1}
              activeRowId={activeId}
              isRowSelected={selectable ? (rowId) => rowSelection[rowId] === true : undefined}
              onRowClick={onRowClick}
              getAriaSort={(columnId) => (columnId === sort.sort ? (sort.order === 'desc' ? 'descending' : 'ascending') : undefined)}
              onScrollTopChange={(top) => setScrolledAway(top > 4)}
              onEndReached={onEndReached}
              areaEvents={{
                onPointerEnter: () => setPointerInside(true),
                onPointerLeave: () => setPointerInside(false),
                onFocus: (event) => {
                  setFocusInside(true);
                  const id = event.target.closest('[data-row-id]')?.getAttribute('data-row-id');
                  if (id) setActiveId(id);
                },
                onBlur: (event) => {
                  if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) {
                    setFocusInside(false);
                  }
                },
              }}
              footer={
                <ListFooter
                  loaded={rows.length}
                  hasMore={list.hasNextPage}
                  loading={list.isFetchingNextPage}
                  error={list.isFetchNextPageError ? errorMessage(list.error) : null}
                  onRetry={() => void list.fetchNextPage()}
                />
              }
            />
          </TableClock>
        </div>
      )}
    </QueryStates>
  );

  return (
    <section
      ref={sectionRef}
      aria-labelledby="operations-list-heading"
      className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xs dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 sm:px-5 dark:border-slate-800">
        <div className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-1">
          <h2 id="operations-list-heading" className="text-base font-semibold text-slate-900 dark:text-slate-50">
            Operations
          </h2>
          <Freshness updatedAt={list.dataUpdatedAt} failedReason={refreshFailed} paused={paused} />
        </div>
        <div className="flex flex-wrap items-center gap-3">{controls}</div>
      </div>
      {selectable && selectionActions ? (
        <SelectionBar
          selection={selection}
          loaded={rows.length}
          allMatching={allMatching !== null}
          matchingTotal={matchingTotal}
          onSelectAllMatching={() => {
            if (matchingTotal === undefined) return;
            setAllMatching({ filter: frozenFilters(filters, Date.now()), total: matchingTotal });
          }}
          actions={selectionActions}
        />
      ) : null}
      {body}
    </section>
  );
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

/**
 * Above the rows while anything is selected: how many, a way to widen the selection to the whole
 * filter result, a way to clear it, and what can be done with it. The count is announced.
 */
function SelectionBar({
  selection,
  loaded,
  allMatching,
  matchingTotal,
  onSelectAllMatching,
  actions,
}: {
  selection: OperationsSelection;
  loaded: number;
  allMatching: boolean;
  matchingTotal: number | undefined;
  onSelectAllMatching: () => void;
  actions: (selection: OperationsSelection) => ReactNode;
}) {
  const { count } = selection;
  const canWiden = !allMatching && matchingTotal !== undefined && matchingTotal > count;
  return (
    <div
      className={
        count > 0
          ? 'flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-brand-200 bg-brand-50 px-4 py-2 text-sm sm:px-5 dark:border-brand-400/20 dark:bg-brand-400/10'
          : undefined
      }
    >
      <p role="status" className={count > 0 ? 'font-medium text-slate-900 dark:text-slate-50' : 'sr-only'}>
        {count === 0
          ? ''
          : allMatching
            ? `All ${plural(count, 'operation', 'operations')} matching this filter are selected.`
            : count === loaded && canWiden
              ? `All ${plural(count, 'loaded operation', 'loaded operations')} are selected.`
              : `${plural(count, 'operation', 'operations')} selected.`}
      </p>
      {count > 0 ? (
        <>
          {canWiden ? (
            <Button size="sm" variant="ghost" onClick={onSelectAllMatching}>
              Select all {matchingTotal.toLocaleString()} matching this filter
            </Button>
          ) : null}
          <Button size="sm" variant="ghost" onClick={selection.clear}>
            Clear selection
          </Button>
          <div className="ml-auto flex items-center gap-2">{actions(selection)}</div>
        </>
      ) : null}
    </div>
  );
}

/** Provides the cells' clock and names; its own ticks re-render only the cells that read them. */
function TableClock({
  connections,
  people,
  children,
}: {
  connections: ReadonlyMap<string, ConnectionOption>;
  people: ReadonlyMap<string, Person>;
  children: ReactNode;
}) {
  const timeDisplay = useTimeDisplay();
  const now = useNow(timeDisplay === 'relative' ? 1_000 : 30_000);
  const value = useMemo(() => ({ now, timeDisplay, connections, people }), [now, timeDisplay, connections, people]);
  return <OperationsTableContext value={value}>{children}</OperationsTableContext>;
}

function ListFooter({
  loaded,
  hasMore,
  loading,
  error,
  onRetry,
}: {
  loaded: number;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  onRetry: () => void;
}) {
  return (
    <div className="sticky left-0 flex items-center justify-center gap-3 px-4 py-3 text-xs text-slate-500 dark:text-slate-400">
      {error ? (
        <>
          <span role="alert">Could not load more: {error}</span>
          <Button size="sm" onClick={onRetry}>
            Try again
          </Button>
        </>
      ) : loading ? (
        <span role="status">Loading more…</span>
      ) : hasMore ? (
        <span>{loaded.toLocaleString()} loaded · scroll for more</span>
      ) : (
        <span>
          End of list · {loaded.toLocaleString()} {loaded === 1 ? 'operation' : 'operations'}
        </span>
      )}
    </div>
  );
}

function TableSkeleton() {
  return (
    <div role="status" aria-live="polite" className="divide-y divide-slate-100 dark:divide-slate-800">
      <span className="sr-only">Loading operations…</span>
      {[0, 1, 2, 3, 4, 5].map((row) => (
        <div key={row} aria-hidden="true" className="flex animate-pulse items-center gap-6 px-4 py-3.5">
          <div className="h-3.5 w-20 rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-5 w-20 rounded-full bg-slate-200 dark:bg-slate-800" />
          <div className="h-3.5 w-16 rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-3.5 w-32 rounded bg-slate-200 dark:bg-slate-800" />
          <div className="hidden h-3.5 flex-1 rounded bg-slate-100 sm:block dark:bg-slate-800/70" />
        </div>
      ))}
    </div>
  );
}
