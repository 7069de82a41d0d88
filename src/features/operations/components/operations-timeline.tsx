import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { OperationTimeline } from '../../../../contracts/operation-schemas.ts';
import { formatLocal, formatUtc, toEpochMs, type TimeDisplay } from '../../../lib/format.ts';
import { operationStatusLooks } from '../../../components/ui/operation-badges.tsx';

/**
 * Operations created over the chosen range, one bar per bucket, stacked by status: failed at the
 * base (where a spike is easiest to compare), then pending, then succeeded. Hand-drawn: no chart
 * library for a few dozen boxes.
 *
 * Bar height is the square root of the count (docs/decisions/0052-timeline-square-root-scale.md),
 * so one burst does not flatten every other bar; the exact counts are in each bar's name and
 * tooltip.
 *
 * The bars are a listbox, one tab stop: arrows move between buckets, Shift+arrows extends a
 * selection, Enter shows the chosen buckets as a custom range. With a pointer: press a bar for its
 * bucket, or drag across bars for their span; Escape cancels a drag.
 */

const layers = [
  { key: 'failed', fill: 'bg-red-500 dark:bg-red-400' },
  { key: 'pending', fill: 'bg-amber-400 dark:bg-amber-300' },
  { key: 'success', fill: 'bg-emerald-500/85 dark:bg-emerald-400/80' },
] as const;

type Bucket = OperationTimeline['buckets'][number];
type Span = { first: number; last: number };

function clock(value: string | number, display: TimeDisplay, now: number): string {
  return display === 'utc' ? formatUtc(value, now) : formatLocal(value, now);
}

const axisLocal = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const axisLocalTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const axisUtc = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const axisUtcTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

function dayOf(ms: number, utc: boolean): string {
  return utc ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toDateString();
}

/** Axis ends: "17:00" today, "Nov 26, 17:00" another day; no seconds on a chart. */
function axisLabel(value: string, display: TimeDisplay, now: number): string {
  const ms = toEpochMs(value) ?? now;
  const utc = display === 'utc';
  const format = dayOf(ms, utc) === dayOf(now, utc) ? (utc ? axisUtcTime : axisLocalTime) : utc ? axisUtc : axisLocal;
  return `${format.format(ms)}${utc ? ' UTC' : ''}`;
}

/** A period: "14:00–14:30" today, "Nov 26, 14:00–14:30" another day, "Nov 26, 21:00 – Nov 27, 03:00" across midnight. */
function spanLabel(startMs: number, endMs: number, display: TimeDisplay, now: number): string {
  const utc = display === 'utc';
  const start = dayOf(startMs, utc) === dayOf(now, utc) ? (utc ? axisUtcTime : axisLocalTime) : utc ? axisUtc : axisLocal;
  // A period that ends at midnight ends on its own day ("23:30–00:00").
  const sameDay = dayOf(endMs - 1, utc) === dayOf(startMs, utc);
  const end = sameDay ? (utc ? axisUtcTime : axisLocalTime) : utc ? axisUtc : axisLocal;
  return `${start.format(startMs)}${sameDay ? '–' : ' – '}${end.format(endMs)}${utc ? ' UTC' : ''}`;
}

function bucketLabel(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} ${seconds === 86_400 ? 'day' : 'days'}`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} ${seconds === 3_600 ? 'hour' : 'hours'}`;
  if (seconds % 60 === 0) return `${seconds / 60} ${seconds === 60 ? 'minute' : 'minutes'}`;
  return `${seconds} seconds`;
}

function countsLabel(bucket: Bucket): string {
  return `${bucket.success} succeeded, ${bucket.failed} failed, ${bucket.pending} pending`;
}

function spanOf(a: number, b: number): Span {
  return { first: Math.min(a, b), last: Math.max(a, b) };
}

export function OperationsTimeline({
  timeline,
  rangeLabel,
  timeDisplay,
  now,
  onSelectRange,
}: {
  timeline: OperationTimeline;
  rangeLabel: string;
  timeDisplay: TimeDisplay;
  now: number;
  /** The reader chose buckets (a bar, a drag, or the keyboard): show [from, to) as a custom range. */
  onSelectRange: (range: { from: string; to: string }) => void;
}) {
  const labelId = useId();
  const descId = useId();
  const hintId = useId();
  const { buckets } = timeline;
  const count = buckets.length;
  const bucketMs = timeline.bucket_seconds * 1000;
  const rangeEnd = Date.parse(timeline.to);
  const totals = buckets.map((bucket) => bucket.success + bucket.pending + bucket.failed);
  const max = Math.max(1, ...totals);
  const sum = (key: 'success' | 'pending' | 'failed') => buckets.reduce((total, bucket) => total + bucket[key], 0);
  const total = totals.reduce((a, b) => a + b, 0);
  const busiestIndex = totals.indexOf(Math.max(...totals));
  const busiest = buckets[busiestIndex];
  const every = bucketLabel(timeline.bucket_seconds);
  const shownDisplay: TimeDisplay = timeDisplay === 'utc' ? 'utc' : 'local';

  /** Height as a fraction of the plot: the square root of the count, against the busiest bucket. */
  const scale = (value: number) => Math.sqrt(value / max);
  const quarter = Math.round(max / 4);
  const gridlines = max >= 4 && quarter > 0 && quarter < max ? [quarter, max] : [max];

  // Which bar holds the tab stop (the last, the one still filling, until the reader moves).
  const [focusedIndex, setFocusedIndex] = useState<number | null>(null);
  // Where a Shift+arrow selection started; null while no selection is being made.
  const [anchor, setAnchor] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ pointerId: number; start: number; end: number } | null>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const barRefs = useRef<(HTMLDivElement | null)[]>([]);

  const active = count === 0 ? -1 : Math.min(focusedIndex ?? count - 1, count - 1);
  const selection: Span | null = drag
    ? spanOf(drag.start, drag.end)
    : anchor !== null && anchor < count && active >= 0
      ? spanOf(anchor, active)
      : null;

  const startOf = (index: number) => Date.parse(buckets[index]?.start ?? timeline.from);
  const endOf = (index: number) => Math.min(startOf(index) + bucketMs, rangeEnd);
  const describeSpan = (span: Span) => spanLabel(startOf(span.first), endOf(span.last), shownDisplay, now);

  const apply = (span: Span) => {
    setAnchor(null);
    setDrag(null);
    onSelectRange({ from: new Date(startOf(span.first)).toISOString(), to: new Date(endOf(span.last)).toISOString() });
  };

  // A drag is cancelled with Escape wherever focus is: the pointer, not the focus, is on the chart.
  const dragging = drag !== null;
  useEffect(() => {
    if (!dragging) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') setDrag(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dragging]);

  const indexAt = (clientX: number): number => {
    const rect = plotRef.current?.getBoundingClientRect();
    if (!rect || rect.width <= 0) return Math.max(active, 0);
    const index = Math.floor(((clientX - rect.left) / rect.width) * count);
    return Math.min(Math.max(index, 0), count - 1);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (count === 0 || event.button !== 0) return;
    const index = indexAt(event.clientX);
    setDrag({ pointerId: event.pointerId, start: index, end: index });
    // Keep the moves coming when the pointer leaves the plot mid-drag (jsdom has no capture).
    if (typeof event.currentTarget.setPointerCapture === 'function') event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag || drag.pointerId !== event.pointerId) return;
    const index = indexAt(event.clientX);
    if (index !== drag.end) setDrag({ ...drag, end: index });
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag || drag.pointerId !== event.pointerId) return;
    apply(spanOf(drag.start, indexAt(event.clientX)));
  };

  const moveTo = (index: number, extend: boolean) => {
    const next = Math.min(Math.max(index, 0), count - 1);
    if (extend && anchor === null) setAnchor(active);
    if (!extend) setAnchor(null);
    setFocusedIndex(next);
    barRefs.current[next]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return;
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      moveTo(active + step, event.shiftKey);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      moveTo(event.key === 'Home' ? 0 : count - 1, event.shiftKey);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      apply(selection ?? { first: active, last: active });
    } else if (event.key === 'Escape' && (anchor !== null || drag !== null)) {
      event.preventDefault();
      setAnchor(null);
      setDrag(null);
    }
  };

  const description =
    total === 0
      ? `No operations between ${clock(timeline.from, shownDisplay, now)} and ${clock(timeline.to, shownDisplay, now)}.`
      : `${total} operations between ${clock(timeline.from, shownDisplay, now)} and ${clock(timeline.to, shownDisplay, now)}: ${sum('success')} succeeded, ${sum('failed')} failed, ${sum('pending')} pending. Busiest: ${totals[busiestIndex]} in the ${every} from ${busiest ? clock(busiest.start, shownDisplay, now) : ''}.`;

  const status = selection
    ? `${describeSpan(selection)} selected · ${drag ? 'release to show it' : 'Enter shows it, Esc cancels'}`
    : 'Press a bar or drag across bars to show that time; with the keyboard, arrows and Enter (Shift+arrows for several).';

  return (
    <figure className="min-w-0">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <figcaption className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
          Created per {every} · {rangeLabel}
        </figcaption>
        <ul className="flex items-center gap-3 text-xs text-slate-600 dark:text-slate-400" aria-label="Legend">
          {[...layers].reverse().map((layer) => (
            <li key={layer.key} className="flex items-center gap-1.5">
              <span aria-hidden="true" className={`size-2.5 rounded-xs ${layer.fill}`} />
              {operationStatusLooks[layer.key].label}
            </li>
          ))}
        </ul>
      </div>

      <div className="relative mt-2 h-28">
        {/* Gridlines at counts, placed on the same square-root scale as the bars. */}
        <div aria-hidden="true" className="pointer-events-none absolute inset-x-0 top-2 bottom-0">
          {gridlines.map((value) => (
            <div
              key={value}
              className="absolute inset-x-0 border-t border-dashed border-slate-200 dark:border-slate-800"
              style={{ bottom: `${scale(value) * 100}%` }}
            >
              <span className="absolute -top-2.5 left-0 bg-white pr-1 text-[10px] leading-none text-slate-400 tabular-nums dark:bg-slate-900 dark:text-slate-500">
                {value}
              </span>
            </div>
          ))}
        </div>
        <p id={labelId} className="sr-only">{`Operations created, ${rangeLabel.toLowerCase()}, by status`}</p>
        <p id={descId} className="sr-only">
          {description}
        </p>
        <div
          ref={plotRef}
          role="listbox"
          // Focus lives on the bars (one tab stop among them); the list itself is no stop.
          tabIndex={-1}
          aria-orientation="horizontal"
          aria-multiselectable="true"
          aria-labelledby={labelId}
          aria-describedby={`${descId} ${hintId}`}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          // A vertical swipe still scrolls the page on a phone (touch-pan-y), and cancels the drag.
          onPointerCancel={() => setDrag(null)}
          className="absolute inset-0 flex cursor-crosshair outline-none touch-pan-y border-b border-slate-300 select-none dark:border-slate-700"
        >
          {buckets.map((bucket, index) => {
            const name = `${spanLabel(startOf(index), endOf(index), shownDisplay, now)}: ${countsLabel(bucket)}`;
            const selected = selection !== null && index >= selection.first && index <= selection.last;
            const inBucket = totals[index] ?? 0;
            return (
              <div
                // Bars are slots in the range, keyed by position, so the focused one stays focused when the range moves.
                // oxlint-disable-next-line react/no-array-index-key
                key={index}
                ref={(element) => {
                  barRefs.current[index] = element;
                }}
                role="option"
                // The title is both the tooltip and the name: the exact counts, in words.
                title={name}
                aria-selected={selected}
                tabIndex={index === active ? 0 : -1}
                onFocus={() => setFocusedIndex(index)}
                className={`relative h-full min-w-0 flex-1 rounded-xs outline-none focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:ring-inset dark:focus-visible:ring-sky-400 ${
                  selected ? 'bg-sky-500/20 dark:bg-sky-400/20' : 'hover:bg-slate-100 dark:hover:bg-slate-800/60'
                }`}
              >
                <div aria-hidden="true" className="absolute inset-x-[12%] top-2 bottom-0 flex flex-col-reverse">
                  {layers.map((layer) => {
                    const value = bucket[layer.key];
                    if (value === 0) return null;
                    // The whole bar is the square root of its count; inside it each status takes its true
                    // share, so 1 failure among 4 successes is a fifth of the bar, not nearly half.
                    const height = (scale(inBucket) * value) / inBucket;
                    return <div key={layer.key} className={`shrink-0 ${layer.fill}`} style={{ height: `${height * 100}%` }} />;
                  })}
                </div>
              </div>
            );
          })}
        </div>
      </div>
      <div className="mt-1 flex justify-between gap-2 text-[11px] text-slate-500 tabular-nums dark:text-slate-400">
        <span aria-hidden="true">{axisLabel(timeline.from, shownDisplay, now)}</span>
        <span>Bar height: square root of the count</span>
        <span aria-hidden="true">{axisLabel(timeline.to, shownDisplay, now)}</span>
      </div>
      <p id={hintId} aria-live="polite" className="mt-1 text-[11px] text-slate-500 dark:text-slate-400">
        {status}
      </p>
    </figure>
  );
}
