import { useId } from 'react';
import type { OperationTimeline } from '../../../../contracts/operation-schemas.ts';
import { formatLocal, formatUtc, toEpochMs, type TimeDisplay } from '../../../lib/format.ts';
import { operationStatusLooks } from '../../../components/ui/operation-badges.tsx';

/**
 * Operations created over the chosen range, one bar per bucket, stacked by status: failed at the
 * base (where a spike is easiest to compare), then pending, then succeeded. Hand-drawn SVG: no
 * chart library for a dozen rectangles. For screen readers the picture has a title and a one-line
 * description, and the numbers are in a table.
 */

const VIEW_WIDTH = 600;
const VIEW_HEIGHT = 120;

const layers = [
  { key: 'failed', fill: 'fill-red-500 dark:fill-red-400' },
  { key: 'pending', fill: 'fill-amber-400 dark:fill-amber-300' },
  { key: 'success', fill: 'fill-emerald-500/85 dark:fill-emerald-400/80' },
] as const;

function clock(value: string | number, display: TimeDisplay, now: number): string {
  return display === 'utc' ? formatUtc(value, now) : formatLocal(value, now);
}

const axisLocal = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const axisLocalTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const axisUtc = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
const axisUtcTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

/** Axis ends: "17:00" today, "Nov 26, 17:00" another day; no seconds on a chart. */
function axisLabel(value: string, display: TimeDisplay, now: number): string {
  const ms = toEpochMs(value) ?? now;
  const utc = display === 'utc';
  const day = (at: number) => (utc ? new Date(at).toISOString().slice(0, 10) : new Date(at).toDateString());
  const format = day(ms) === day(now) ? (utc ? axisUtcTime : axisLocalTime) : utc ? axisUtc : axisLocal;
  return `${format.format(ms)}${utc ? ' UTC' : ''}`;
}

function bucketLabel(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} ${seconds === 86_400 ? 'day' : 'days'}`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} ${seconds === 3_600 ? 'hour' : 'hours'}`;
  if (seconds % 60 === 0) return `${seconds / 60} ${seconds === 60 ? 'minute' : 'minutes'}`;
  return `${seconds} seconds`;
}

export function OperationsTimeline({
  timeline,
  rangeLabel,
  timeDisplay,
  now,
}: {
  timeline: OperationTimeline;
  rangeLabel: string;
  timeDisplay: TimeDisplay;
  now: number;
}) {
  const titleId = useId();
  const descId = useId();
  const { buckets } = timeline;
  const totals = buckets.map((bucket) => bucket.success + bucket.pending + bucket.failed);
  const max = Math.max(1, ...totals);
  const sum = (key: 'success' | 'pending' | 'failed') => buckets.reduce((total, bucket) => total + bucket[key], 0);
  const total = totals.reduce((a, b) => a + b, 0);
  const busiestIndex = totals.indexOf(Math.max(...totals));
  const busiest = buckets[busiestIndex];
  const slot = VIEW_WIDTH / Math.max(buckets.length, 1);
  const gap = Math.min(2, slot * 0.2);
  const every = bucketLabel(timeline.bucket_seconds);
  const shownDisplay: TimeDisplay = timeDisplay === 'utc' ? 'utc' : 'local';

  const description =
    total === 0
      ? `No operations between ${clock(timeline.from, shownDisplay, now)} and ${clock(timeline.to, shownDisplay, now)}.`
      : `${total} operations between ${clock(timeline.from, shownDisplay, now)} and ${clock(timeline.to, shownDisplay, now)}: ${sum('success')} succeeded, ${sum('failed')} failed, ${sum('pending')} pending. Busiest: ${totals[busiestIndex]} in the ${every} from ${busiest ? clock(busiest.start, shownDisplay, now) : ''}.`;

  return (
    <figure className="min-w-0">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <figcaption className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
          Created per {every} · {rangeLabel}
        </figcaption>
        <ul className="flex items-center gap-3 text-xs text-slate-600 dark:text-slate-400" aria-label="Legend">
          {[...layers].reverse().map((layer) => (
            <li key={layer.key} className="flex items-center gap-1.5">
              <svg viewBox="0 0 10 10" className="size-2.5" aria-hidden="true">
                <rect width="10" height="10" rx="2" className={layer.fill} />
              </svg>
              {operationStatusLooks[layer.key].label}
            </li>
          ))}
        </ul>
      </div>

      <div className="relative mt-2">
        <span
          aria-hidden="true"
          className="absolute top-0 left-0 text-[10px] leading-none text-slate-400 tabular-nums dark:text-slate-500"
        >
          {max}
        </span>
        <svg
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          viewBox={`0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`}
          preserveAspectRatio="none"
          className="h-28 w-full overflow-visible"
        >
          <title id={titleId}>{`Operations created, ${rangeLabel.toLowerCase()}, by status`}</title>
          <desc id={descId}>{description}</desc>
          {[0.5, 1].map((fraction) => (
            <line
              key={fraction}
              x1={0}
              x2={VIEW_WIDTH}
              y1={VIEW_HEIGHT - fraction * (VIEW_HEIGHT - 8)}
              y2={VIEW_HEIGHT - fraction * (VIEW_HEIGHT - 8)}
              vectorEffect="non-scaling-stroke"
              className="stroke-slate-200 dark:stroke-slate-800"
              strokeDasharray="3 3"
            />
          ))}
          {buckets.map((bucket, index) => {
            let y = VIEW_HEIGHT;
            const x = index * slot + gap / 2;
            const width = Math.max(slot - gap, 0.5);
            return (
              <g key={bucket.start}>
                <title>{`${clock(bucket.start, shownDisplay, now)}: ${bucket.success} succeeded, ${bucket.failed} failed, ${bucket.pending} pending`}</title>
                {layers.map((layer) => {
                  const value = bucket[layer.key];
                  if (value === 0) return null;
                  const height = (value / max) * (VIEW_HEIGHT - 8);
                  y -= height;
                  return <rect key={layer.key} x={x} y={y} width={width} height={height} className={layer.fill} />;
                })}
                {/* An invisible full-height target, so the tooltip shows over a short bar too. */}
                <rect x={index * slot} y={0} width={slot} height={VIEW_HEIGHT} fill="transparent" />
              </g>
            );
          })}
          <line
            x1={0}
            x2={VIEW_WIDTH}
            y1={VIEW_HEIGHT}
            y2={VIEW_HEIGHT}
            vectorEffect="non-scaling-stroke"
            className="stroke-slate-300 dark:stroke-slate-700"
          />
        </svg>
        <div
          aria-hidden="true"
          className="mt-1 flex justify-between text-[11px] text-slate-500 tabular-nums dark:text-slate-400"
        >
          <span>{axisLabel(timeline.from, shownDisplay, now)}</span>
          <span>{axisLabel(timeline.to, shownDisplay, now)}</span>
        </div>
      </div>

      {/* A table is never narrower than its content, whatever its width says: the hidden box around it clips it, so it cannot widen the page on a phone. */}
      <div className="sr-only">
        <table>
          <caption>{`Timeline: operations created per ${every}, ${rangeLabel.toLowerCase()} (periods with none are left out)`}</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Succeeded</th>
              <th scope="col">Failed</th>
              <th scope="col">Pending</th>
            </tr>
          </thead>
          <tbody>
            {buckets
              .filter((_, index) => (totals[index] ?? 0) > 0)
              .map((bucket) => (
                <tr key={bucket.start}>
                  <th scope="row">{clock(bucket.start, shownDisplay, now)}</th>
                  <td>{bucket.success}</td>
                  <td>{bucket.failed}</td>
                  <td>{bucket.pending}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
