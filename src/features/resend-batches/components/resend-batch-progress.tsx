import type { ResendBatch, ResendItemState } from '../../../../contracts/resend-batch-schemas.ts';
import { resendItemLooks } from '../resend-batch-words.ts';

/** Settled first, then what is still moving, so the bar fills from the left. */
const order: readonly ResendItemState[] = ['success', 'failed', 'refused', 'cancelled', 'pending', 'in_doubt', 'sending', 'queued'];

const segmentClasses: Record<ResendItemState, string> = {
  success: 'bg-emerald-500 dark:bg-emerald-400',
  // Stripes as well as colour: failures stand out without telling red from green.
  failed: 'bg-red-500 bg-[repeating-linear-gradient(135deg,transparent_0_3px,rgb(255_255_255/0.35)_3px_5px)] dark:bg-red-400',
  refused: 'bg-red-300 bg-[repeating-linear-gradient(45deg,transparent_0_3px,rgb(255_255_255/0.35)_3px_5px)] dark:bg-red-300',
  cancelled: 'bg-slate-400 dark:bg-slate-500',
  pending: 'bg-brand-500 dark:bg-brand-400',
  in_doubt: 'bg-amber-400 dark:bg-amber-300',
  sending: 'bg-brand-300 dark:bg-brand-600',
  queued: 'bg-slate-200 dark:bg-slate-700',
};

/** Items the console has handed over or given up on: what the bar counts as done. */
export function handledCount(counts: ResendBatch['counts']): number {
  return order.reduce((sum, state) => (state === 'queued' || state === 'sending' ? sum : sum + counts[state]), 0);
}

export function progressText(counts: ResendBatch['counts'], total: number): string {
  const parts = order.filter((state) => counts[state] > 0).map((state) => `${counts[state]} ${resendItemLooks[state].label.toLowerCase()}`);
  return `${handledCount(counts)} of ${total} handled${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/**
 * Where a batch's items stand: a progressbar of handled items whose value text names every
 * count, and the same counts in words beside icons (never colour alone).
 */
export function ResendBatchProgress({ counts, total }: { counts: ResendBatch['counts']; total: number }) {
  return (
    <div>
      <div
        role="progressbar"
        aria-label="Resend progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={handledCount(counts)}
        aria-valuetext={progressText(counts, total)}
        className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
      >
        {order.map((state) =>
          counts[state] > 0 && total > 0 ? (
            <div
              key={state}
              className={`h-full transition-[width] duration-500 ${segmentClasses[state]}`}
              style={{ width: `${(counts[state] / total) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <p className="mt-1.5 text-sm font-medium text-slate-800 dark:text-slate-200">{progressText(counts, total)}</p>
      <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
        {order
          .filter((state) => counts[state] > 0)
          .map((state) => {
            const look = resendItemLooks[state];
            return (
              <li key={state} className="inline-flex items-center gap-1" title={look.hint}>
                <look.icon className="size-4" />
                <span className="font-semibold tabular-nums">{counts[state]}</span>
                <span>{look.label.toLowerCase()}</span>
              </li>
            );
          })}
      </ul>
    </div>
  );
}
