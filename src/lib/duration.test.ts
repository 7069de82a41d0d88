import { describe, expect, it } from 'vitest';
import { durationBetween, formatDuration } from './duration.ts';

describe('formatDuration', () => {
  it.each([
    [0, 'under 0.1 s'],
    [30, 'under 0.1 s'],
    [420, '0.4 s'],
    [949, '0.9 s'],
    [990, '1 s'],
    [7_200, '7 s'],
    [31_400, '31 s'],
    [59_600, '1 min'],
    [125_000, '2 min 5 s'],
    [3_600_000, '1 h'],
    [4_830_000, '1 h 20 min'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
  ])('%s ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it('says so for a span it cannot read', () => {
    expect(formatDuration(Number.NaN)).toBe('an unknown time');
    expect(formatDuration(-5)).toBe('an unknown time');
  });
});

describe('durationBetween', () => {
  it('measures ISO strings and epoch ms alike, never below zero', () => {
    expect(durationBetween('2026-11-27T10:00:00.000Z', '2026-11-27T10:00:31.000Z')).toBe(31_000);
    expect(durationBetween(2_000, 500)).toBe(0);
    expect(durationBetween('nonsense', 500)).toBeNaN();
  });
});
