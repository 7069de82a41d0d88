import type { BroadcastCounts, BroadcastPace, RecipientStatus } from '../../../../contracts/broadcast-schemas.ts';
import { formatDuration } from '../../../lib/duration.ts';
import { operationStatusLooks } from '../../../components/ui/operation-badges.tsx';

/** Finished first, then what is still moving, so the bar fills from the left as recipients settle. */
const order: readonly RecipientStatus[] = ['success', 'failed', 'pending', 'queued'];

const segmentClasses: Record<RecipientStatus, string> = {
  success: 'bg-emerald-500 dark:bg-emerald-400',
  // Stripes as well as colour: failures stand out without telling red from green.
  failed: 'bg-red-500 bg-[repeating-linear-gradient(135deg,transparent_0_3px,rgb(255_255_255/0.35)_3px_5px)] dark:bg-red-400',
  // Pending is not done: a pale, hatched segment, so a broadcast that Catena has taken but not yet
  // delivered never reads as a full (finished) bar. Queued is lighter still: not even sent.
  pending: 'bg-brand-100 bg-[repeating-linear-gradient(45deg,transparent_0_4px,rgb(59_130_246/0.45)_4px_6px)] dark:bg-brand-400/20',
  queued: 'bg-slate-200 dark:bg-slate-700',
};

/** The segment's words, inside the bar where there is room for them (never the only place they are said). */
const segmentText: Record<RecipientStatus, string> = {
  success: 'text-white dark:text-emerald-950',
  failed: 'text-white dark:text-red-950',
  pending: 'text-brand-900 dark:text-brand-100',
  queued: 'text-slate-700 dark:text-slate-200',
};
/** A segment this wide (of the bar) has room for "12 pending". */
const LABEL_ROOM = 0.18;

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
        className={`flex w-full overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800 ${size === 'sm' ? 'h-1.5' : 'h-5'}`}
      >
        {order.map((status) => {
          if (counts[status] === 0 || total === 0) return null;
          const share = counts[status] / total;
          return (
            <div
              key={status}
              className={`flex h-full items-center justify-center overflow-hidden transition-[width] duration-500 ${segmentClasses[status]}`}
              style={{ width: `${share * 100}%` }}
            >
              {/* Hidden from assistive technology: the bar's value text says every count already. */}
              {size === 'md' && share >= LABEL_ROOM ? (
                <span aria-hidden="true" className={`truncate px-1.5 text-xs font-semibold ${segmentText[status]}`}>
                  {counts[status]} {operationStatusLooks[status].label.toLowerCase()}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      <ul className={`mt-1.5 flex flex-wrap gap-x-3 gap-y-1 ${size === 'sm' ? 'text-xs' : 'text-sm'}`}>
        {/* Small (in a table): only the counts that are not zero; the bar's value text names all four. */}
        {order
          .filter((status) => size === 'md' || counts[status] > 0)
          .map((status) => {
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

/**
 * While recipients are queued: how fast they go to Catena and about how long is left, as the
 * server measured it, or why that is not known now. Never a guess: an unmeasured pace says so.
 */
export function PaceLine({ pace }: { pace: BroadcastPace }) {
  let words: string;
  if (pace.waiting_for_catena) {
    words = `${pace.queued} queued. Catena asked the console to slow down (too many requests); sending goes on when it allows, so the time left is not known yet.`;
  } else if (pace.per_second !== null && pace.seconds_left !== null) {
    words = `${pace.queued} queued: about ${formatDuration(pace.seconds_left * 1000)} left at ${pace.per_second.toLocaleString('en-US')} a second.`;
  } else {
    words = `${pace.queued} queued. The time left is not known until a few have gone to Catena.`;
  }
  return <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">{words}</p>;
}
