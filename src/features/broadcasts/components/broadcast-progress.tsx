import type { BroadcastCounts, RecipientStatus } from '../../../../contracts/broadcast-schemas.ts';
import { operationStatusLooks } from '../../../components/ui/operation-badges.tsx';

/** Finished first, then what is still moving, so the bar fills from the left as recipients settle. */
const order: readonly RecipientStatus[] = ['success', 'failed', 'pending', 'queued'];

const segmentClasses: Record<RecipientStatus, string> = {
  success: 'bg-emerald-500 dark:bg-emerald-400',
  // Stripes as well as colour: failures stand out without telling red from green.
  failed:
    'bg-red-500 bg-[repeating-linear-gradient(135deg,transparent_0_3px,rgb(255_255_255/0.35)_3px_5px)] dark:bg-red-400',
  pending: 'bg-brand-500 dark:bg-brand-400',
  queued: 'bg-slate-300 dark:bg-slate-600',
};

const countClasses: Record<RecipientStatus, string> = {
  success: 'text-emerald-700 dark:text-emerald-400',
  failed: 'text-red-700 dark:text-red-400',
  pending: 'text-brand-700 dark:text-brand-300',
  queued: 'text-slate-600 dark:text-slate-400',
};

export function progressText(counts: BroadcastCounts, total: number): string {
  const finished = counts.success + counts.failed;
  return `${finished} of ${total} finished: ${counts.success} succeeded, ${counts.failed} failed, ${counts.pending} pending, ${counts.queued} queued`;
}

/**
 * Where a broadcast's recipients stand: a bar split into succeeded / failed / pending / queued,
 * and the same counts in words beside icons (never colour alone). The bar is a progressbar of
 * finished recipients whose value text names every count.
 */
export function BroadcastProgress({
  counts,
  total,
  label,
  size = 'md',
}: {
  counts: BroadcastCounts;
  total: number;
  /** Names the progressbar, e.g. "Delivery progress". */
  label: string;
  size?: 'sm' | 'md';
}) {
  const finished = counts.success + counts.failed;
  return (
    <div className="min-w-48">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={finished}
        aria-valuetext={progressText(counts, total)}
        className={`flex w-full overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800 ${size === 'sm' ? 'h-1.5' : 'h-2.5'}`}
      >
        {order.map((status) =>
          counts[status] > 0 && total > 0 ? (
            <div
              key={status}
              className={`h-full transition-[width] duration-500 ${segmentClasses[status]}`}
              style={{ width: `${(counts[status] / total) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <ul className={`mt-1.5 flex flex-wrap gap-x-3 gap-y-1 ${size === 'sm' ? 'text-xs' : 'text-sm'}`}>
        {/* Small (in a table): only the counts that are not zero; the bar's value text names all four. */}
        {order.filter((status) => size === 'md' || counts[status] > 0).map((status) => {
          const look = operationStatusLooks[status];
          const count = counts[status];
          return (
            <li
              key={status}
              className={`inline-flex items-center gap-1 ${count > 0 ? countClasses[status] : 'text-slate-500 dark:text-slate-400'}`}
            >
              <look.icon className={size === 'sm' ? 'size-3.5' : 'size-4'} />
              <span className="font-semibold tabular-nums">{count}</span>
              <span>{look.label.toLowerCase()}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
