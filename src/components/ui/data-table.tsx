import type { ReactTable, RowData, TableFeatures } from '@tanstack/react-table';
import { useDensity } from '../../stores/preferences-store.ts';

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
};

const noColumnClasses: Partial<Record<string, string>> = {};

export function DataTable<TFeatures extends TableFeatures, TData extends RowData>({
  table,
  caption,
  showCaption = false,
  rowHeaderColumnId,
  columnClasses = noColumnClasses,
  dimmed = false,
}: DataTableProps<TFeatures, TData>) {
  const density = useDensity();
  const cellPadding = density === 'compact' ? 'px-4 py-1.5' : 'px-4 py-3';

  return (
    <div className="overflow-x-auto">
      <table className="min-w-full border-separate border-spacing-0 text-left text-sm">
        <caption className={showCaption ? 'px-4 py-2 text-left text-sm text-slate-600 dark:text-slate-400' : 'sr-only'}>
          {caption}
        </caption>
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
            <tr key={row.id} className="group hover:bg-slate-50 dark:hover:bg-slate-800/40">
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
