import type { OperationsFilterState, RelativeRange, TimeRange } from './operations-search-schemas.ts';

const HOUR_MS = 3_600_000;

/** Each relative range, its length, and how the chart splits it (bars on round boundaries). */
export const relativeRangeSpecs: Record<RelativeRange, { label: string; short: string; ms: number; bucketMs: number }> = {
  '1h': { label: 'Last hour', short: '1 h', ms: HOUR_MS, bucketMs: 60_000 },
  '24h': { label: 'Last 24 hours', short: '24 h', ms: 24 * HOUR_MS, bucketMs: 30 * 60_000 },
  '7d': { label: 'Last 7 days', short: '7 days', ms: 7 * 24 * HOUR_MS, bucketMs: 3 * HOUR_MS },
};

export const timeRangeLabels: Record<TimeRange, string> = {
  '1h': relativeRangeSpecs['1h'].label,
  '24h': relativeRangeSpecs['24h'].label,
  '7d': relativeRangeSpecs['7d'].label,
  custom: 'Custom range',
};

/** A custom range needs its start; without one the view falls back to the default range. */
function customBounds(filters: OperationsFilterState): { from: string; to: string | undefined } | null {
  if (filters.range !== 'custom' || !filters.from) return null;
  return { from: filters.from, to: filters.to };
}

/**
 * The created_at window the list and the counts ask for, at `now`. A relative range is open at
 * its end, so operations created after the page loaded still count.
 */
export function listWindow(filters: OperationsFilterState, now: number): { from: string; to: string | undefined } {
  const custom = customBounds(filters);
  if (custom) return custom;
  const spec = relativeRangeSpecs[filters.range === 'custom' ? '24h' : filters.range];
  return { from: new Date(now - spec.ms).toISOString(), to: undefined };
}

export const CUSTOM_RANGE_BUCKETS = 48;

/**
 * The chart's window: relative ranges end on the next bucket boundary so bars keep their place
 * from one poll to the next; the last bar is the one still filling.
 */
export function chartWindow(filters: OperationsFilterState, now: number): { from: string; to: string; buckets: number } {
  const custom = customBounds(filters);
  if (custom) {
    return { from: custom.from, to: custom.to ?? new Date(now).toISOString(), buckets: CUSTOM_RANGE_BUCKETS };
  }
  const spec = relativeRangeSpecs[filters.range === 'custom' ? '24h' : filters.range];
  const end = Math.ceil((now + 1) / spec.bucketMs) * spec.bucketMs;
  return {
    from: new Date(end - spec.ms).toISOString(),
    to: new Date(end).toISOString(),
    buckets: Math.round(spec.ms / spec.bucketMs),
  };
}

/** A range that ended in the past gains no new operations; only pending ones can still change. */
export function isClosedRange(filters: OperationsFilterState, now: number): boolean {
  const custom = customBounds(filters);
  return custom?.to !== undefined && Date.parse(custom.to) <= now;
}

/** "Copy link": the same view with a relative range frozen to the absolute times it covers now. */
export function frozenRange(filters: OperationsFilterState, now: number): { range: 'custom'; from: string; to: string } {
  const custom = customBounds(filters);
  if (custom) return { range: 'custom', from: custom.from, to: custom.to ?? new Date(now).toISOString() };
  const { from } = listWindow(filters, now);
  return { range: 'custom', from, to: new Date(now).toISOString() };
}
