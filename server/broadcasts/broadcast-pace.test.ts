import { describe, expect, it } from 'vitest';
import { paceOf } from './broadcast-pace.ts';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
/** `count` requests one `everyMs` apart, the newest `agoMs` before NOW. */
function sends(count: number, everyMs: number, agoMs = 0): string[] {
  return Array.from({ length: count }, (_, i) => new Date(NOW - agoMs - (count - 1 - i) * everyMs).toISOString());
}

describe('a broadcast’s pace', () => {
  it('is measured from its recent sends, with the time left for what is queued', () => {
    expect(paceOf({ queued: 2000, sentAt: sends(51, 20), now: NOW, waitingForCatena: false })).toEqual({
      queued: 2000,
      per_second: 50,
      seconds_left: 40,
      waiting_for_catena: false,
    });
  });

  it('follows the last 30 s only, so an early burst does not speak for now', () => {
    const burst = sends(100, 10, 60_000);
    const lately = sends(31, 1000);
    expect(paceOf({ queued: 10, sentAt: [...burst, ...lately], now: NOW, waitingForCatena: false })?.per_second).toBe(1);
  });

  it('is unknown, not guessed, before two sends, after a lull, or while Catena asks to wait', () => {
    expect(paceOf({ queued: 5, sentAt: [], now: NOW, waitingForCatena: false })).toMatchObject({ per_second: null, seconds_left: null });
    expect(paceOf({ queued: 5, sentAt: sends(1, 0), now: NOW, waitingForCatena: false })).toMatchObject({ per_second: null });
    expect(paceOf({ queued: 5, sentAt: sends(20, 100, 60_000), now: NOW, waitingForCatena: false })).toMatchObject({ per_second: null });
    expect(paceOf({ queued: 5, sentAt: sends(20, 100), now: NOW, waitingForCatena: true })).toEqual({
      queued: 5,
      per_second: null,
      seconds_left: null,
      waiting_for_catena: true,
    });
  });

  it('is null once nothing is queued', () => {
    expect(paceOf({ queued: 0, sentAt: sends(20, 100), now: NOW, waitingForCatena: false })).toBeNull();
  });
});
