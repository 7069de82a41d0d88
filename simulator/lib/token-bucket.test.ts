import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    let now = 0;
    const bucket = new TokenBucket(
      () => 5,
      () => 5,
      () => now,
    );
    for (let i = 0; i < 5; i++) expect(bucket.tryTake()).toEqual({ ok: true });
    expect(bucket.tryTake()).toEqual({ ok: false, retryAfterMs: 200 });
    now = 200;
    expect(bucket.tryTake()).toEqual({ ok: true });
  });

  it('reserve() queues work in order at the refill rate instead of refusing', () => {
    let now = 0;
    const bucket = new TokenBucket(
      () => 4,
      () => 4,
      () => now,
    );
    const waits = Array.from({ length: 8 }, () => bucket.reserve());
    expect(waits).toEqual([0, 0, 0, 0, 250, 500, 750, 1000]);
    now = 1000;
    expect(bucket.reserve()).toBe(250);
  });

  it('never holds more than its capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(
      () => 10,
      () => 2,
      () => now,
    );
    now = 60_000;
    expect([bucket.tryTake().ok, bucket.tryTake().ok, bucket.tryTake().ok]).toEqual([true, true, false]);
  });
});
