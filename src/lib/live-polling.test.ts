import { describe, expect, it } from 'vitest';
import { MAX_POLL_BACKOFF_MS, pollInterval } from './live-polling.ts';

describe('pollInterval', () => {
  it('polls at the chosen interval while answers arrive', () => {
    expect(pollInterval(5_000, { dataUpdatedAt: 10_000, errorUpdatedAt: 0, errorUpdateCount: 0 })).toBe(5_000);
  });

  it('backs off for as long as the server has been unreachable, up to a minute', () => {
    expect(pollInterval(5_000, { dataUpdatedAt: 10_000, errorUpdatedAt: 13_000, errorUpdateCount: 1 })).toBe(5_000);
    expect(pollInterval(5_000, { dataUpdatedAt: 10_000, errorUpdatedAt: 30_000, errorUpdateCount: 3 })).toBe(20_000);
    expect(pollInterval(5_000, { dataUpdatedAt: 10_000, errorUpdatedAt: 900_000, errorUpdateCount: 9 })).toBe(MAX_POLL_BACKOFF_MS);
  });

  it('doubles per failure when there never was an answer', () => {
    expect(pollInterval(2_000, { dataUpdatedAt: 0, errorUpdatedAt: 1, errorUpdateCount: 1 })).toBe(2_000);
    expect(pollInterval(2_000, { dataUpdatedAt: 0, errorUpdatedAt: 1, errorUpdateCount: 3 })).toBe(8_000);
  });
});
