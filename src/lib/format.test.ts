import { describe, expect, it } from 'vitest';
import { formatClockTime, formatRelative, formatTimestamp, formatUtc } from './format.ts';

const now = Date.parse('2026-11-27T14:03:07Z');

describe('formatRelative', () => {
  it.each([
    [now - 500, 'just now'],
    [now - 3_000, '3 s ago'],
    [now - 59_000, '59 s ago'],
    [now - 5 * 60_000, '5 min ago'],
    [now - 2 * 3_600_000, '2 h ago'],
    [now - 3 * 86_400_000, '3 d ago'],
    [now + 4_000, 'in 4 s'],
  ])('%s → %s', (value, expected) => {
    expect(formatRelative(value, now)).toBe(expected);
  });

  it('says so for an unreadable time', () => {
    expect(formatRelative('not a date', now)).toBe('unknown time');
  });
});

describe('formatUtc', () => {
  it('shows only the time on the same UTC day, else the date too', () => {
    expect(formatUtc('2026-11-27T09:15:00Z', now)).toBe('09:15:00 UTC');
    expect(formatUtc('2026-11-26T23:59:59Z', now)).toBe('2026-11-26 23:59:59 UTC');
  });
});

describe('formatTimestamp', () => {
  it('follows the chosen display', () => {
    expect(formatTimestamp(now - 10_000, 'relative', now)).toBe('10 s ago');
    expect(formatTimestamp(now - 10_000, 'utc', now)).toBe('14:02:57 UTC');
    expect(formatTimestamp(now - 10_000, 'local', now)).toBe(formatClockTime(now - 10_000));
  });
});

describe('formatClockTime', () => {
  it('is hh:mm:ss on a 24-hour clock', () => {
    expect(formatClockTime(now)).toMatch(/^\d\d:\d\d:\d\d$/);
  });
});
