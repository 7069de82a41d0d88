/**
 * Spans of time as people say them: "0.4 s", "31 s", "2 min 5 s", "1 h 20 min", "3 d 4 h".
 * Two units at most: an attempt log is read, not audited (the exact instants are in `<time>`).
 */

const SECOND = 1000;
const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'an unknown time';
  // Below a second the tenths matter ("0.4 s"); above it they are noise.
  if (ms < 950) return ms < 50 ? 'under 0.1 s' : `${(ms / SECOND).toFixed(1)} s`;
  const seconds = Math.round(ms / SECOND);
  if (seconds < MINUTE) return `${seconds} s`;
  if (seconds < HOUR) return withRest(Math.floor(seconds / MINUTE), 'min', seconds % MINUTE, 's');
  if (seconds < DAY) return withRest(Math.floor(seconds / HOUR), 'h', Math.floor((seconds % HOUR) / MINUTE), 'min');
  return withRest(Math.floor(seconds / DAY), 'd', Math.floor((seconds % DAY) / HOUR), 'h');
}

function withRest(amount: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${amount} ${unit}` : `${amount} ${unit} ${rest} ${restUnit}`;
}

/** The span between two instants (ISO strings or epoch ms), never negative. */
export function durationBetween(from: string | number, to: string | number): number {
  const start = typeof from === 'number' ? from : Date.parse(from);
  const end = typeof to === 'number' ? to : Date.parse(to);
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : Number.NaN;
}
