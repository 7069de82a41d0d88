import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode, type Ref } from 'react';
import { errorTypes, operationStatuses, operationTypes } from '../../../../contracts/operation-schemas.ts';
import { SearchIcon } from '../../../components/ui/action-icons.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { ConnectionFailuresLink, ConnectionHealthBadge, needsAttention, troubleView } from '../../../components/ui/connection-health-badge.tsx';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { CheckIcon } from '../../../components/ui/icons.tsx';
import { useSmallScreen } from '../../../lib/use-media-query.ts';
import { FilterMenu, type FilterOption } from '../../../components/ui/filter-menu.tsx';
import { SegmentedControl } from '../../../components/ui/segmented-control.tsx';
import {
  filterStateOf,
  operationsSearchDefaults,
  timeRanges,
  type OperationsSearch,
  type OperationsSearchInput,
  type TimeRange,
} from '../operations-search-schemas.ts';
import { relativeRangeSpecs } from '../time-range.ts';
import { errorTypeLooks, operationStatusLooks } from '../../../components/ui/operation-badges.tsx';
import { operationQueries } from '../api/operation-queries.ts';
import { operationTypeLabels, resourceLabel } from './operation-looks.tsx';
import type { ConnectionOption } from './operations-table-context.ts';

const SEARCH_DELAY_MS = 400;

const statusOptions: FilterOption<(typeof operationStatuses)[number]>[] = operationStatuses.map((value) => {
  const look = operationStatusLooks[value];
  return {
    value,
    text: look.label,
    hint: look.hint,
    label: (
      <span className="inline-flex items-center gap-1.5">
        <look.icon className="size-4 text-slate-500 dark:text-slate-400" />
        {look.label}
      </span>
    ),
  };
});
const errorOptions = errorTypes.map((value) => ({
  value,
  text: errorTypeLooks[value].label,
  hint: errorTypeLooks[value].hint,
  label: errorTypeLooks[value].label,
}));

const rangeOptions = timeRanges.map((value) => ({
  value,
  label: value === 'custom' ? 'Custom' : relativeRangeSpecs[value].short,
  title: value === 'custom' ? 'Pick a start and an end' : relativeRangeSpecs[value].label,
}));

export function OperationsFilters({
  search,
  connections,
  filtered,
  onChange,
  onClear,
  searchInputRef,
}: {
  search: OperationsSearch;
  connections: readonly ConnectionOption[] | undefined;
  filtered: boolean;
  onChange: (patch: OperationsSearchInput) => void;
  onClear: () => void;
  searchInputRef: Ref<HTMLInputElement>;
}) {
  const small = useSmallScreen();
  const connectionOptions: FilterOption<string>[] = [
    ...[...(connections ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((connection) => {
        // Health in words where the reader picks a connection, and a way straight to its failures.
        const troubled = connection.health && needsAttention(connection.health) ? connection.health : null;
        const option: FilterOption<string> = {
          value: connection.id,
          text: connection.name,
          label: (
            <span className="inline-flex flex-wrap items-center gap-x-1.5">
              <span>
                {connection.name} <span className="text-slate-500 dark:text-slate-400">· {connection.tsp}</span>
              </span>{' '}
              {troubled ? <ConnectionHealthBadge health={troubled} /> : null}
            </span>
          ),
        };
        if (troubled) {
          if (troubleView(troubled)) option.action = <ConnectionFailuresLink connection={connection} health={troubled} />;
          if (troubled.reason) option.hint = troubled.reason;
        }
        return option;
      }),
    // A link may name a connection this console does not list (any more): keep it visible.
    ...search.connection
      .filter((id) => !connections?.some((connection) => connection.id === id))
      .map((id) => ({ value: id, text: `${id.slice(0, 8)}…`, label: <span className="font-mono text-xs">{id}</span> })),
  ];
  // What occurs in the store under the other filters, with counts; a value the URL names is kept even at 0.
  const facets = useQuery(operationQueries.facets(filterStateOf(search))).data;
  const withCounts = <T extends string>(
    values: readonly T[],
    counts: readonly { value: string; count: number }[] | undefined,
    word: (value: T) => string,
  ) => {
    const countOf = new Map((counts ?? []).map((entry) => [entry.value, entry.count]));
    return values.map((value) => {
      const count = countOf.get(value);
      return {
        value,
        text: word(value),
        label: (
          <span className="inline-flex w-full items-center justify-between gap-3">
            <span>{word(value)}</span>
            {count === undefined ? null : (
              <span className="text-xs text-slate-500 tabular-nums dark:text-slate-400">{count.toLocaleString('en-US')}</span>
            )}
          </span>
        ),
      };
    });
  };
  const resourceValues = [...new Set<string>([...(facets?.resource.map((entry) => entry.value) ?? []), ...search.resource])];
  const resourceOptions = withCounts(resourceValues, facets?.resource, resourceLabel);
  const typeValues = operationTypes.filter(
    (value) => !facets || facets.operation_type.some((entry) => entry.value === value) || search.type.includes(value),
  );
  const typeOptions = withCounts(typeValues, facets?.operation_type, (value) => operationTypeLabels[value]);

  const chooseRange = (range: TimeRange) => {
    if (range === 'custom') {
      // Start from what the reader sees now: the last 24 hours, as fixed times.
      const now = Date.now();
      onChange({
        range,
        from: search.from ?? new Date(now - relativeRangeSpecs['24h'].ms).toISOString(),
        to: search.to ?? new Date(now).toISOString(),
      });
    } else {
      onChange({ range, from: undefined, to: undefined });
    }
  };

  // Every filter but the search box: in a row on a wide screen, stacked in the sheet on a small one.
  const controls = (
    <>
      <FilterMenu label="Connection" options={connectionOptions} selected={search.connection} onChange={(connection) => onChange({ connection })} />
      <FilterMenu label="Resource" options={resourceOptions} selected={search.resource} onChange={(resource) => onChange({ resource })} />
      <FilterMenu label="Status" options={statusOptions} selected={search.status} onChange={(status) => onChange({ status })} />
      <FilterMenu label="Type" options={typeOptions} selected={search.type} onChange={(type) => onChange({ type })} />
      <FilterMenu label="Error type" options={errorOptions} selected={search.error} onChange={(error) => onChange({ error })} />
      <Button
        variant="secondary"
        size="sm"
        aria-pressed={search.stuck === true}
        className="aria-pressed:bg-brand-50 aria-pressed:ring-brand-500/60 dark:aria-pressed:bg-brand-400/10"
        title="Only operations still pending well past the time their resource usually takes"
        onClick={() => onChange({ stuck: search.stuck ? undefined : true })}
      >
        {search.stuck ? <CheckIcon aria-hidden="true" className="size-4" /> : null}
        Stuck only
      </Button>
      <SegmentedControl legend="Time range" value={search.range} onChange={chooseRange} options={rangeOptions} />
    </>
  );
  const customRange = search.range === 'custom' ? <CustomRange from={search.from} to={search.to} onChange={onChange} /> : null;
  const clearButton = filtered ? (
    <Button variant="ghost" size="sm" onClick={onClear}>
      Clear filters
    </Button>
  ) : null;

  if (small) {
    return (
      <div className="flex items-center gap-2">
        <SearchBox value={search.q} onCommit={(q) => onChange({ q })} inputRef={searchInputRef} />
        <FilterSheet count={sheetFilterCount(search)} clearButton={clearButton}>
          {controls}
          {customRange}
        </FilterSheet>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <SearchBox value={search.q} onCommit={(q) => onChange({ q })} inputRef={searchInputRef} />
        {controls}
        {clearButton}
      </div>
      {customRange}
    </div>
  );
}

/** How many filters the sheet holds are set: each value picked, "stuck only", a time range other than the default. */
export function sheetFilterCount(search: OperationsSearch): number {
  return (
    search.connection.length +
    search.resource.length +
    search.status.length +
    search.type.length +
    search.error.length +
    (search.stuck ? 1 : 0) +
    (search.range === operationsSearchDefaults.range ? 0 : 1)
  );
}

/**
 * A small screen has no room for a row of filters: one "Filters (3)" button opens them all in a
 * dialog. Each change applies to the URL at once, as on a wide screen (the list behind updates),
 * so "Show operations" only closes it and nothing is lost when it is dismissed.
 */
function FilterSheet({ count, clearButton, children }: { count: number; clearButton: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const headingId = useId();
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} aria-haspopup="dialog" className="shrink-0">
        {count > 0 ? `Filters (${count})` : 'Filters'}
      </Button>
      {open ? (
        <Dialog labelledBy={headingId} onClose={() => setOpen(false)}>
          <h2 id={headingId} className="text-lg font-semibold text-slate-900 dark:text-white">
            Filters
          </h2>
          <div className="mt-4 flex flex-col items-start gap-3">{children}</div>
          <div className="mt-5 flex flex-wrap items-center justify-end gap-2">
            {clearButton}
            <Button variant="primary" onClick={() => setOpen(false)}>
              Show operations
            </Button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}

/**
 * The search box writes `q` to the URL a moment after typing stops (or at once on Enter). The
 * text is the box's own state; when `q` changes from outside (back, "Clear filters"), the box
 * follows it.
 */
function SearchBox({
  value,
  onCommit,
  inputRef,
}: {
  value: string | undefined;
  onCommit: (q: string | undefined) => void;
  inputRef: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const [text, setText] = useState(value ?? '');
  const [seen, setSeen] = useState(value);
  const [sent, setSent] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value !== sent) {
      setSent(value);
      setText(value ?? '');
    }
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = (next: string) => {
    clearTimeout(timer.current);
    const q = next.trim() === '' ? undefined : next.trim();
    setSent(q);
    if (q !== value) onCommit(q);
  };

  return (
    <form
      role="search"
      className="relative min-w-0 flex-1 basis-72"
      onSubmit={(event) => {
        event.preventDefault();
        commit(text);
      }}
    >
      <label htmlFor={id} className="sr-only">
        Search operations
      </label>
      <p id={`${id}-hint`} className="sr-only">
        Finds a driver or vehicle by name, an operation by the first 8 characters of any id (operation, record or TSP id), a payload field by
        field:value such as vin:1FTFW1E5 or license_plate_number:7ABC123, or words of a message.
      </p>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
      <input
        ref={inputRef}
        id={id}
        type="search"
        value={text}
        placeholder="Name, first 8 characters of an id, field:value, or words"
        aria-describedby={`${id}-hint`}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(next), SEARCH_DELAY_MS);
        }}
        onKeyDown={(event) => {
          // Escape leaves the box (and gives the page's shortcuts back) with the search kept:
          // what was typed is searched at once instead of after the pause. The native clearing of
          // a search field on Escape is prevented; the field's own clear button still clears.
          if (event.key !== 'Escape') return;
          event.preventDefault();
          commit(text);
          event.currentTarget.blur();
        }}
        className="h-9 w-full rounded-md border-0 bg-white py-0 pr-10 pl-9 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:outline-none dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700 dark:placeholder:text-slate-500"
      />
      <kbd
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 -translate-y-1/2 rounded border border-slate-200 px-1.5 font-sans text-[11px] text-slate-400 dark:border-slate-700 dark:text-slate-500"
      >
        /
      </kbd>
    </form>
  );
}

/** `<input type="datetime-local">` speaks the device's local time; the URL keeps UTC instants. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const offsetMs = new Date(ms).getTimezoneOffset() * 60_000;
  return new Date(ms - offsetMs).toISOString().slice(0, 16);
}

function fromLocalInput(value: string): string | undefined {
  const ms = Date.parse(value);
  return value && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function CustomRange({ from, to, onChange }: { from: string | undefined; to: string | undefined; onChange: (patch: OperationsSearchInput) => void }) {
  const fromId = useId();
  const toId = useId();
  const inverted = from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to);
  const inputClass =
    'h-8 rounded-md border-0 bg-white px-2 text-sm text-slate-900 ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 focus:outline-none dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700';
  return (
    <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg bg-slate-100/70 px-3 py-2 text-sm dark:bg-slate-800/50">
      <legend className="sr-only">Custom time range (your device’s time)</legend>
      <label htmlFor={fromId} className="text-slate-600 dark:text-slate-400">
        From
      </label>
      <input
        id={fromId}
        type="datetime-local"
        value={toLocalInput(from)}
        max={toLocalInput(to)}
        onChange={(event) => {
          const next = fromLocalInput(event.target.value);
          if (next) onChange({ from: next });
        }}
        className={inputClass}
      />
      <label htmlFor={toId} className="text-slate-600 dark:text-slate-400">
        To
      </label>
      <input
        id={toId}
        type="datetime-local"
        value={toLocalInput(to)}
        min={toLocalInput(from)}
        onChange={(event) => onChange({ to: fromLocalInput(event.target.value) })}
        className={inputClass}
      />
      <span className="text-xs text-slate-500 dark:text-slate-400">
        {inverted ? (
          <span role="alert" className="text-red-700 dark:text-red-300">
            The start is after the end.
          </span>
        ) : to ? (
          'Your device’s time. Fixed times: a link to this view shows the same operations.'
        ) : (
          'Your device’s time. No end: runs up to now.'
        )}
      </span>
    </fieldset>
  );
}
