import { formatTimestamp, toIsoString, type TimeDisplay } from '../../lib/format.ts';

/**
 * A time in the reader's chosen display (relative, local clock or UTC), with the exact instant
 * machine-readable in `dateTime` and on hover.
 */
export function Timestamp({ value, display, now }: { value: string | number; display: TimeDisplay; now: number }) {
  const iso = toIsoString(value);
  return (
    <time dateTime={iso} title={iso}>
      {formatTimestamp(value, display, now)}
    </time>
  );
}
