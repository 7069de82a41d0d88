import type { Cell, ReactTable, Row, RowData, TableFeatures } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  type FocusEventHandler,
  type MouseEventHandler,
  type PointerEventHandler,
  type ReactNode,
  type Ref,
} from 'react';
import { useSmallScreen } from '../../lib/use-media-query.ts';
import { useDensity, type Density } from '../../stores/preferences-store.ts';

/**
 * Renders every table in the console (house style #9): a real <table> with a caption, column
 * headers with scope, and one cell per row as the row header so screen readers announce
 * "Northwind Freight, Status, Active". The feature owns columns (`*-columns.tsx`) and the
 * `useTable` call; this owns markup, density and styling.
 */
type DataTableProps<TFeatures extends TableFeatures, TData extends RowData> = {
  table: ReactTable<TFeatures, TData, unknown>;
  /** Names the table for assistive technology; visually hidden unless `showCaption`. */
  caption: string;
  showCaption?: boolean;
  /** The column whose cell names the row (rendered as <th scope="row">). */
  rowHeaderColumnId?: string;
  /** Extra classes per column id, for width and alignment. */
  columnClasses?: Partial<Record<string, string>>;
  /** Dim the rows while a new page is loading behind the one on screen. */
  dimmed?: boolean;
  /** How a row reads as a card on a small screen; without it every column is a labelled field. */
  card?: CardLayout;
  /**
   * Makes the whole row a mouse target for where its link goes. Keyboard users reach the same
   * place through that link (give the row one); a click on a link or button inside the row stays theirs.
   */
  onRowClick?: (row: Row<TFeatures, TData>) => void;
  /** The row a link landed on: marked as the current one (aria-current) and shaded. */
  activeRowId?: string | null;
};

/** A click that lands on one of these is the control's own, not the row's. */
const ROW_CLICK_EXEMPT = 'a,button,input,label,select,textarea,summary';

const noColumnClasses: Partial<Record<string, string>> = {};

export function DataTable<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  caption,
  showCaption = false,
  rowHeaderColumnId,
  columnClasses = noColumnClasses,
  dimmed = false,
  card = noCardLayout,
  onRowClick,
  activeRowId = null,
}: DataTableProps<TFeatures, TData>) {
  const density = useDensity();
  const small = useSmallScreen();
  const cellPadding = density === 'compact' ? 'px-4 py-1.5' : 'px-4 py-3';

  if (small) {
    return (
      <CardList table={table} caption={caption} titleColumnId={rowHeaderColumnId} card={card} dimmed={dimmed}>
        {table.getRowModel().rows.map((row) => (
          <RowCard key={row.id} table={table} row={row} titleColumnId={rowHeaderColumnId} card={card} active={row.id === activeRowId} />
        ))}
      </CardList>
    );
  }

  // `relative`: visually hidden (absolutely positioned) text in a cell is placed against this
  // scroller and clipped by it, instead of widening the page on a phone.
  return (
    <div className="relative overflow-x-auto">
      <table aria-busy={dimmed || undefined} className="min-w-full border-separate border-spacing-0 text-left text-sm">
        <caption className={showCaption ? 'px-4 py-2 text-left text-sm text-slate-600 dark:text-slate-400' : 'sr-only'}>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  colSpan={header.colSpan}
                  className={`border-b border-slate-200 bg-slate-50/80 px-4 py-2.5 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400 ${columnClasses[header.column.id] ?? ''}`}
                >
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className={dimmed ? 'opacity-60 transition-opacity' : 'transition-opacity'}>
          {table.getRowModel().rows.map((row) => (
            // oxlint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions -- a mouse shortcut for the row's own link, which keyboard users reach with Tab
            <tr
              key={row.id}
              aria-current={row.id === activeRowId ? 'true' : undefined}
              data-active={row.id === activeRowId || undefined}
              onClick={
                onRowClick
                  ? (event) => {
                      if (event.target instanceof Element && event.target.closest(ROW_CLICK_EXEMPT)) return;
                      // Selecting text in a row is reading, not a click on it.
                      if (window.getSelection()?.toString()) return;
                      onRowClick(row);
                    }
                  : undefined
              }
              className={`group hover:bg-slate-50 data-[active]:bg-brand-50/70 dark:hover:bg-slate-800/40 dark:data-[active]:bg-brand-400/10 ${onRowClick ? 'cursor-pointer focus-within:bg-slate-50 dark:focus-within:bg-slate-800/40' : ''}`}
            >
              {row.getAllCells().map((cell) => {
                const className = `border-b border-slate-100 align-top group-last:border-b-0 dark:border-slate-800/70 ${cellPadding} ${columnClasses[cell.column.id] ?? ''}`;
                return cell.column.id === rowHeaderColumnId ? (
                  <th key={cell.id} scope="row" className={`font-normal ${className}`}>
                    <table.FlexRender cell={cell} />
                  </th>
                ) : (
                  <td key={cell.id} className={className}>
                    <table.FlexRender cell={cell} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/*
 * VirtualDataTable: the same table for long lists. Only the rows in view (plus a few) are in the
 * DOM; spacer rows above and below keep the scroll height, so it stays a real <table> that
 * screen readers navigate (aria-rowcount/aria-rowindex say where a row sits in the whole list).
 * Rows have one fixed height per density and columns fixed widths (`table-layout: fixed`), so
 * nothing is measured while scrolling and columns never jump as rows come and go.
 */

export type AriaSort = 'ascending' | 'descending' | 'none';

export type VirtualDataTableHandle = {
  scrollToIndex: (index: number) => void;
  scrollToTop: () => void;
  /** The row (or card) element for an id while it is rendered (in view or just outside). */
  rowElement: (rowId: string) => HTMLElement | null;
};

const virtualRowHeights: Record<Density, number> = { comfortable: 44, compact: 34 };
/** A first guess for a card, before it is measured: a title line and two lines of fields. */
const virtualCardHeights: Record<Density, number> = { comfortable: 136, compact: 120 };
/** Rows rendered beyond the visible ones, each side: enough for a fast wheel flick. */
const OVERSCAN = 12;
/** Ask for more when the last rendered row is this close to the end of what is loaded. */
const END_THRESHOLD = 20;

type VirtualDataTableProps<TFeatures extends TableFeatures, TData extends RowData> = {
  table: ReactTable<TFeatures, TData, unknown>;
  caption: string;
  rowHeaderColumnId?: string;
  /** Width of each column (CSS length); the table is laid out with these, not with its content. */
  columnWidths: Partial<Record<string, string>>;
  columnClasses?: Partial<Record<string, string>>;
  /** Classes of the scroll area: its height above all. */
  className?: string;
  dimmed?: boolean;
  /** Total rows in the list when known (loaded or not), for assistive technology. */
  rowCount?: number;
  activeRowId?: string | null;
  /** For tables whose rows can be selected (a checkbox column): shades the row, re-renders it on change. */
  isRowSelected?: (rowId: string) => boolean;
  onRowClick?: (row: Row<TFeatures, TData>) => void;
  getAriaSort?: (columnId: string) => AriaSort | undefined;
  onScrollTopChange?: (scrollTop: number) => void;
  onEndReached?: () => void;
  /** Pointer and focus entering or leaving the scroll area (e.g. to know someone is reading). */
  areaEvents?: {
    onPointerEnter?: PointerEventHandler<HTMLDivElement>;
    onPointerLeave?: PointerEventHandler<HTMLDivElement>;
    onFocus?: FocusEventHandler<HTMLDivElement>;
    onBlur?: FocusEventHandler<HTMLDivElement>;
  };
  /** Below the last row, inside the scroll area: "Loading more…", "End of list". */
  footer?: ReactNode;
  /** How a row reads as a card on a small screen. */
  card?: CardLayout;
  ref?: Ref<VirtualDataTableHandle>;
};

export function VirtualDataTable<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  caption,
  rowHeaderColumnId,
  columnWidths,
  columnClasses = noColumnClasses,
  className = '',
  dimmed = false,
  rowCount,
  activeRowId = null,
  isRowSelected,
  onRowClick,
  getAriaSort,
  onScrollTopChange,
  onEndReached,
  areaEvents,
  footer,
  card = noCardLayout,
  ref,
}: VirtualDataTableProps<TFeatures, TData>) {
  const density = useDensity();
  const small = useSmallScreen();
  const rowHeight = small ? virtualCardHeights[density] : virtualRowHeights[density];
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const columns = table.getAllLeafColumns();

  // oxlint-disable-next-line react/incompatible-library -- its results are read while rendering this component only; no memoized child receives the virtualizer
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: OVERSCAN,
  });

  useLayoutEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight, small]);

  useImperativeHandle(
    ref,
    () => ({
      scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
      scrollToTop: () => {
        if (scrollRef.current) scrollRef.current.scrollTop = 0;
      },
      rowElement: (rowId) => scrollRef.current?.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(rowId)}"]`) ?? null,
    }),
    [virtualizer],
  );

  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const onEndReachedRef = useRef(onEndReached);
  useLayoutEffect(() => {
    onEndReachedRef.current = onEndReached;
  });
  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - 1 - END_THRESHOLD) onEndReachedRef.current?.();
  }, [lastIndex, rows.length]);

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  const scrollAreaProps = {
    ref: scrollRef,
    onScroll: onScrollTopChange ? (event: { currentTarget: HTMLDivElement }) => onScrollTopChange(event.currentTarget.scrollTop) : undefined,
    ...areaEvents,
  };

  if (small) {
    // Cards differ in height (a wrapped name, a second line of error): each one is measured once
    // when it mounts, instead of cutting its content to one fixed height.
    return (
      <div {...scrollAreaProps} className={`relative overflow-y-auto overscroll-contain bg-white [contain:strict] dark:bg-slate-900 ${className}`}>
        <CardList table={table} caption={caption} titleColumnId={rowHeaderColumnId} card={card} dimmed={dimmed}>
          {paddingTop > 0 ? <li aria-hidden="true" style={{ height: paddingTop }} /> : null}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <RowCard
                key={item.key}
                table={table}
                row={row}
                titleColumnId={rowHeaderColumnId}
                card={card}
                index={item.index}
                setSize={rowCount}
                measureRef={virtualizer.measureElement}
                active={row.id === activeRowId}
                selected={isRowSelected?.(row.id) ?? false}
                onRowClick={onRowClick}
              />
            );
          })}
          {paddingBottom > 0 ? <li aria-hidden="true" style={{ height: paddingBottom }} /> : null}
        </CardList>
        {footer}
      </div>
    );
  }

  return (
    <div
      ref={scrollRef}
      // Opaque and contained: Chromium can then scroll it on the compositor instead of repainting
      // it every frame, and a row change never lays out anything outside it.
      className={`relative overflow-auto overscroll-contain bg-white [contain:strict] dark:bg-slate-900 ${className}`}
      onScroll={onScrollTopChange ? (event) => onScrollTopChange(event.currentTarget.scrollTop) : undefined}
      {...areaEvents}
    >
      <table
        aria-rowcount={rowCount ?? rows.length + 1}
        // Rows of the previous filter, kept on screen (dimmed) until the new ones come.
        aria-busy={dimmed || undefined}
        className="w-full min-w-[68rem] table-fixed border-separate border-spacing-0 text-left text-sm"
      >
        <caption className="sr-only">{caption}</caption>
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={{ width: columnWidths[column.id] }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  colSpan={header.colSpan}
                  aria-sort={getAriaSort?.(header.column.id)}
                  className={`sticky top-0 z-10 border-b border-slate-200 bg-slate-50 px-3 py-2.5 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400 ${columnClasses[header.column.id] ?? ''}`}
                >
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className={dimmed ? 'opacity-60 transition-opacity' : 'transition-opacity'}>
          {paddingTop > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: paddingTop, padding: 0 }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <VirtualRow
                key={item.key}
                table={table}
                row={row}
                index={item.index}
                height={rowHeight}
                active={row.id === activeRowId}
                selected={isRowSelected?.(row.id) ?? false}
                rowHeaderColumnId={rowHeaderColumnId}
                columnClasses={columnClasses}
                onRowClick={onRowClick}
              />
            );
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true">
              <td colSpan={columns.length} style={{ height: paddingBottom, padding: 0 }} />
            </tr>
          ) : null}
        </tbody>
      </table>
      {footer}
    </div>
  );
}

type VirtualRowProps<TFeatures extends TableFeatures, TData extends RowData> = {
  table: ReactTable<TFeatures, TData, unknown>;
  row: Row<TFeatures, TData>;
  index: number;
  height: number;
  active: boolean;
  /** Passed so the memoized row re-renders when only its selection changes. */
  selected: boolean;
  rowHeaderColumnId: string | undefined;
  columnClasses: Partial<Record<string, string>>;
  onRowClick: ((row: Row<TFeatures, TData>) => void) | undefined;
};

/** Re-renders only when its row (or its place) changes, so scrolling mounts just the new rows. */
const VirtualRow = memo(function VirtualRow<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  row,
  index,
  height,
  active,
  selected,
  rowHeaderColumnId,
  columnClasses,
  onRowClick,
}: VirtualRowProps<TFeatures, TData>) {
  return (
    // oxlint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions -- a mouse shortcut: each row holds a link that keyboard users reach with Tab (or the page's own keys)
    <tr
      data-row-id={row.id}
      aria-rowindex={index + 2}
      data-active={active || undefined}
      data-selected={selected || undefined}
      onClick={rowClickHandler(row, onRowClick)}
      style={{ height }}
      className={`group ${onRowClick ? 'cursor-pointer' : ''} hover:bg-slate-50 focus-within:bg-brand-50/70 data-[active]:bg-brand-50/70 data-[selected]:bg-brand-50/40 dark:hover:bg-slate-800/40 dark:data-[selected]:bg-brand-400/5 dark:focus-within:bg-brand-400/10 dark:data-[active]:bg-brand-400/10`}
    >
      {row.getAllCells().map((cell) => {
        const className = `overflow-hidden border-b border-slate-100 px-3 py-0 align-middle text-ellipsis whitespace-nowrap dark:border-slate-800/70 ${columnClasses[cell.column.id] ?? ''}`;
        return cell.column.id === rowHeaderColumnId ? (
          <th key={cell.id} scope="row" className={`font-normal ${className}`}>
            <table.FlexRender cell={cell} />
          </th>
        ) : (
          <td key={cell.id} className={className}>
            <table.FlexRender cell={cell} />
          </td>
        );
      })}
    </tr>
  );
}) as <TFeatures extends TableFeatures, TData extends RowData>(props: VirtualRowProps<TFeatures, TData>) => ReactNode;

/*
 * Cards: below 768 px (useSmallScreen) every table reads as a list of cards, rendered from the
 * same table model (rows, cells, column definitions) as the table, so a list has one set of
 * columns and one place for its data, selection and row clicks (docs/decisions/0048-small-screens.md).
 * A card is an <li>: its title is the row-header cell, then its fields as a <dl>, each labelled
 * with its column's header.
 */

/** How a row reads as a card. Column ids; all optional. */
export type CardLayout = {
  /** The column whose cell titles the card; the table's row header by default. */
  title?: string;
  /** Cells placed before the title, e.g. a row's selection checkbox. */
  lead?: readonly string[];
  /** The labelled fields under the title, in this order; by default every other column. */
  fields?: readonly string[];
  /** Fields whose value spans the card's width (a message, a progress bar). */
  wide?: readonly string[];
  /** Labels for columns whose header is not plain text (a sort button, a checkbox). */
  labels?: Partial<Record<string, string>>;
  /** Header controls a card list still needs (select all, sort), shown in a bar above the cards; they bring their own words. */
  toolbar?: readonly string[];
};

const noCardLayout: CardLayout = {};

type CardListProps<TFeatures extends TableFeatures, TData extends RowData> = {
  table: ReactTable<TFeatures, TData, unknown>;
  caption: string;
  titleColumnId: string | undefined;
  card: CardLayout;
  dimmed: boolean;
  children: ReactNode;
};

function CardList<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  caption,
  card,
  dimmed,
  children,
}: CardListProps<TFeatures, TData>) {
  const toolbar = card.toolbar ?? [];
  const headers =
    table
      .getHeaderGroups()
      .at(-1)
      ?.headers.filter((header) => toolbar.includes(header.column.id)) ?? [];
  return (
    <div>
      {headers.length > 0 ? (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-slate-50/80 px-4 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
          {headers.map((header) => (
            <div key={header.id} className="flex items-center">
              <table.FlexRender header={header} />
            </div>
          ))}
        </div>
      ) : null}
      <ul
        aria-label={caption}
        aria-busy={dimmed || undefined}
        className={`divide-y divide-slate-100 dark:divide-slate-800/70 ${dimmed ? 'opacity-60 transition-opacity' : 'transition-opacity'}`}
      >
        {children}
      </ul>
    </div>
  );
}

/** The words a column's header shows, for a card's field label. */
function columnLabel<TFeatures extends TableFeatures, TData extends RowData>(
  cell: Cell<TFeatures, TData, unknown>,
  labels: CardLayout['labels'],
): string {
  const own = labels?.[cell.column.id];
  if (own !== undefined) return own;
  const header = cell.column.columnDef.header;
  return typeof header === 'string' ? header : cell.column.id;
}

type RowCardProps<TFeatures extends TableFeatures, TData extends RowData> = {
  table: ReactTable<TFeatures, TData, unknown>;
  row: Row<TFeatures, TData>;
  titleColumnId: string | undefined;
  card: CardLayout;
  /** Virtualized lists: where the card sits in the whole list, and how to measure it. */
  index?: number;
  setSize?: number | undefined;
  measureRef?: (element: HTMLElement | null) => void;
  active?: boolean;
  selected?: boolean;
  onRowClick?: ((row: Row<TFeatures, TData>) => void) | undefined;
};

function RowCard<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  row,
  titleColumnId,
  card,
  index,
  setSize,
  measureRef,
  active = false,
  selected = false,
  onRowClick,
}: RowCardProps<TFeatures, TData>) {
  const cells = new Map(row.getAllCells().map((cell) => [cell.column.id, cell]));
  const titleId = card.title ?? titleColumnId;
  const lead = (card.lead ?? []).flatMap((id) => cells.get(id) ?? []);
  const title = titleId ? cells.get(titleId) : undefined;
  const shown = new Set([...(card.lead ?? []), ...(titleId ? [titleId] : [])]);
  const fields = card.fields ? card.fields.flatMap((id) => cells.get(id) ?? []) : row.getAllCells().filter((cell) => !shown.has(cell.column.id));
  const wide = new Set(card.wide ?? []);

  return (
    // oxlint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions -- a touch and mouse shortcut, as on a table row: the card's own link opens it from the keyboard
    <li
      ref={measureRef}
      data-index={index}
      data-row-id={row.id}
      aria-posinset={index === undefined || setSize === undefined || setSize < 0 ? undefined : index + 1}
      aria-setsize={index === undefined || setSize === undefined ? undefined : setSize < 0 ? -1 : setSize - 1}
      data-active={active || undefined}
      data-selected={selected || undefined}
      onClick={rowClickHandler(row, onRowClick)}
      className={`flex min-w-0 gap-3 px-4 py-3 text-sm ${onRowClick ? 'cursor-pointer' : ''} focus-within:bg-brand-50/70 data-[active]:bg-brand-50/70 data-[selected]:bg-brand-50/40 dark:focus-within:bg-brand-400/10 dark:data-[active]:bg-brand-400/10 dark:data-[selected]:bg-brand-400/5`}
    >
      {lead.length > 0 ? (
        <div className="flex shrink-0 flex-col gap-2 pt-0.5">
          {lead.map((cell) => (
            <table.FlexRender key={cell.id} cell={cell} />
          ))}
        </div>
      ) : null}
      <div className="min-w-0 flex-1">
        {title ? (
          // `*:whitespace-normal`: a title cell made to fit one table line (truncated) wraps on a card instead.
          <div className="min-w-0 font-medium break-words text-slate-900 *:whitespace-normal dark:text-slate-50">
            <table.FlexRender cell={title} />
          </div>
        ) : null}
        {fields.length > 0 ? (
          <dl className={`grid grid-cols-2 gap-x-4 gap-y-2 ${title ? 'mt-2' : ''}`}>
            {fields.map((cell) => (
              <div key={cell.id} className={`min-w-0 ${wide.has(cell.column.id) ? 'col-span-2' : ''}`}>
                <dt className="text-xs text-slate-500 dark:text-slate-400">{columnLabel(cell, card.labels)}</dt>
                <dd className="min-w-0 break-words text-slate-800 dark:text-slate-200">
                  <table.FlexRender cell={cell} />
                </dd>
              </div>
            ))}
          </dl>
        ) : null}
      </div>
    </li>
  );
}

/**
 * A click anywhere on a row (or card) opens it; a click on the row's own link, button or
 * control is theirs. Rows without `onRowClick` take no clicks.
 */
function rowClickHandler<TRow>(row: TRow, onRowClick: ((row: TRow) => void) | undefined): MouseEventHandler<HTMLElement> | undefined {
  if (!onRowClick) return undefined;
  return (event) => {
    if (event.target instanceof Element && event.target.closest('a,button,input,label,select,textarea')) return;
    onRowClick(row);
  };
}
