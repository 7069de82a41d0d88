import type { ChangeEvent } from 'react';
import { PlayIcon } from '../../../components/ui/action-icons.tsx';
import { SegmentedControl } from '../../../components/ui/segmented-control.tsx';
import { StaleBadge } from '../../../components/ui/stale-badge.tsx';
import { formatRelative, toIsoString } from '../../../lib/format.ts';
import { useNow } from '../../../lib/use-now.ts';
import {
  densities,
  liveIntervals,
  timeDisplays,
  useDensity,
  useLiveIntervalMs,
  useSetDensity,
  useSetLiveIntervalMs,
  useSetTimeDisplay,
  useTimeDisplay,
  type Density,
  type LiveInterval,
} from '../../../stores/preferences-store.ts';
import type { TimeDisplay } from '../../../lib/format.ts';

/**
 * "Updated 3 s ago", or "Stale since 14:03:07" when the last refresh failed while rows stay on
 * screen (house style #10). Its own clock, so the table does not re-render every second.
 */
export function Freshness({ updatedAt, failedReason, paused }: { updatedAt: number; failedReason: string | null; paused: boolean }) {
  const now = useNow(1000);
  if (updatedAt === 0) return null;
  if (failedReason !== null) return <StaleBadge since={updatedAt} reason={failedReason} />;
  return (
    <span className="text-xs whitespace-nowrap text-slate-500 tabular-nums dark:text-slate-400">
      {paused ? 'Paused · updated ' : 'Updated '}
      <time dateTime={toIsoString(updatedAt)}>{formatRelative(updatedAt, now)}</time>
    </span>
  );
}

const intervalLabels: Record<LiveInterval, string> = {
  2_000: 'every 2 s',
  5_000: 'every 5 s',
  10_000: 'every 10 s',
  30_000: 'every 30 s',
};

/** How often the page refreshes (a device preference) and a pause for this visit. */
export function LiveControl({ paused, onPausedChange }: { paused: boolean; onPausedChange: (paused: boolean) => void }) {
  const intervalMs = useLiveIntervalMs();
  const setIntervalMs = useSetLiveIntervalMs();
  const onIntervalChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const chosen = liveIntervals.find((value) => String(value) === event.target.value);
    if (chosen) setIntervalMs(chosen);
  };
  return (
    <div className="flex items-center gap-1.5">
      <button
        type="button"
        aria-pressed={paused}
        onClick={() => onPausedChange(!paused)}
        title={paused ? 'Resume live updates' : 'Pause live updates'}
        className={`inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium ring-1 ring-inset transition-colors ${
          paused
            ? 'bg-amber-50 text-amber-900 ring-amber-600/30 hover:bg-amber-100 dark:bg-amber-400/10 dark:text-amber-200 dark:ring-amber-400/30'
            : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800'
        }`}
      >
        {paused ? <PlayIcon className="size-3.5" /> : <LivePulse />}
        {paused ? 'Resume' : 'Live'}
        <span className="sr-only">{paused ? ' (live updates are paused)' : ' (click to pause)'}</span>
      </button>
      <label className="sr-only" htmlFor="operations-refresh-interval">
        Refresh
      </label>
      <select
        id="operations-refresh-interval"
        value={String(intervalMs)}
        onChange={onIntervalChange}
        disabled={paused}
        className="h-8 rounded-md border-0 bg-white py-0 pr-7 pl-2 text-sm text-slate-700 ring-1 ring-slate-300 ring-inset disabled:opacity-60 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700"
      >
        {liveIntervals.map((value) => (
          <option key={value} value={String(value)}>
            {intervalLabels[value]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A steady dot: an endless animation would keep the page repainting while people scroll. */
function LivePulse() {
  return (
    <span aria-hidden="true" className="relative flex size-2.5">
      <span className="absolute inline-flex size-full rounded-full bg-emerald-400/40 ring-2 ring-emerald-400/30" />
      <span className="relative inline-flex size-2.5 rounded-full bg-emerald-500" />
    </span>
  );
}

const timeDisplayLabels: Record<TimeDisplay, { label: string; title: string }> = {
  relative: { label: 'Relative', title: 'Times as “3 min ago”' },
  local: { label: 'Local', title: 'Times on this device’s clock' },
  utc: { label: 'UTC', title: 'Times in UTC' },
};
const densityLabels: Record<Density, string> = { comfortable: 'Comfortable', compact: 'Compact' };

/** How this device shows the table: kept in the preferences store, not in the shared link. */
export function ViewOptions() {
  const timeDisplay = useTimeDisplay();
  const setTimeDisplay = useSetTimeDisplay();
  const density = useDensity();
  const setDensity = useSetDensity();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <SegmentedControl
        legend="Times"
        showLegend
        value={timeDisplay}
        onChange={setTimeDisplay}
        options={timeDisplays.map((value) => ({ value, label: timeDisplayLabels[value].label, title: timeDisplayLabels[value].title }))}
      />
      <SegmentedControl
        legend="Density"
        showLegend
        value={density}
        onChange={setDensity}
        options={densities.map((value) => ({ value, label: densityLabels[value] }))}
      />
    </div>
  );
}
