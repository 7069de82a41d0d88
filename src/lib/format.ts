/**
 * Time formatting for every timestamp the console shows. People pick how times read
 * (relative, local clock, UTC) in their device preferences; the exact instant is always
 * available as the full ISO string (e.g. in a `title` or `<time dateTime>`).
 */

export type TimeDisplay = 'relative' | 'local' | 'utc';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds since the epoch, or null for a value that is not a readable time. */
export function toEpochMs(value: string | number | Date): number | null {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** "just now", "3 s ago", "5 min ago", "2 h ago", "3 d ago"; "in 4 s" for a time ahead of `now`. */
export function formatRelative(value: string | number | Date, now: number = Date.now()): string {
  const ms = toEpochMs(value);
  if (ms === null) return 'unknown time';
  const diff = now - ms;
  const abs = Math.abs(diff);
  if (abs < 2 * SECOND) return 'just now';
  let amount: string;
  if (abs < MINUTE) amount = `${Math.floor(abs / SECOND)} s`;
  else if (abs < HOUR) amount = `${Math.floor(abs / MINUTE)} min`;
  else if (abs < DAY) amount = `${Math.floor(abs / HOUR)} h`;
  else amount = `${Math.floor(abs / DAY)} d`;
  return diff >= 0 ? `${amount} ago` : `in ${amount}`;
}

const localTime = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const localDateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** hh:mm:ss on the device's clock, e.g. for "stale since 14:03:07". */
export function formatClockTime(value: string | number | Date): string {
  const ms = toEpochMs(value);
  return ms === null ? '--:--:--' : localTime.format(ms);
}

/** The device's local date and time; only the time when it is today. */
export function formatLocal(value: string | number | Date, now: number = Date.now()): string {
  const ms = toEpochMs(value);
  if (ms === null) return 'unknown time';
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return sameDay ? localTime.format(ms) : localDateTime.format(ms);
}

/** UTC as "2026-11-27 14:03:07 UTC"; only "14:03:07 UTC" when it is the same UTC day as `now`. */
export function formatUtc(value: string | number | Date, now: number = Date.now()): string {
  const ms = toEpochMs(value);
  if (ms === null) return 'unknown time';
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  const sameDay = d.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return sameDay ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}

/** A timestamp in the reader's chosen display. */
export function formatTimestamp(value: string | number | Date, display: TimeDisplay, now: number = Date.now()): string {
  switch (display) {
    case 'relative':
      return formatRelative(value, now);
    case 'local':
      return formatLocal(value, now);
    case 'utc':
      return formatUtc(value, now);
  }
}

/** The exact instant as ISO 8601, for `<time dateTime>` and tooltips. */
export function toIsoString(value: string | number | Date): string | undefined {
  const ms = toEpochMs(value);
  return ms === null ? undefined : new Date(ms).toISOString();
}
