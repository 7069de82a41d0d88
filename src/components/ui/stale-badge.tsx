import { formatClockTime, toIsoString } from '../../lib/format.ts';
import { ClockIcon } from './icons.tsx';

/**
 * Shown next to data that is still on screen after a refresh failed (house style #10):
 * the data stays, and this says from when it is.
 */
export function StaleBadge({ since, reason }: { since: number; reason?: string }) {
  const clock = formatClockTime(since);
  return (
    <span
      role="status"
      title={reason ? `Refreshing failed: ${reason}` : undefined}
      className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-600/25 ring-inset dark:bg-amber-400/10 dark:text-amber-200 dark:ring-amber-400/25"
    >
      <ClockIcon className="size-3.5" />
      <time dateTime={toIsoString(since)}>{`Stale since ${clock}`}</time>
      {reason ? <span className="sr-only">. Refreshing failed: {reason}</span> : null}
    </span>
  );
}
