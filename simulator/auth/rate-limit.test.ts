import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimHarness } from '../test-support/sim-harness.ts';

let h: SimHarness;
beforeAll(async () => {
  h = await startSimulator({ seedHistory: false, apiRateLimitPerSecond: 5 });
});
afterAll(() => h.close());

interface TooMany {
  code: number;
  message: string;
  detail: { retry_after_seconds: number; message: string };
}

describe('Catena API rate limit', () => {
  it('answers 429 with the documented body and a Retry-After header, then recovers', async () => {
    await h.token();
    const results = await Promise.all(Array.from({ length: 12 }, () => h.api<TooMany>('/v2/orgs/fleets')));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    // Burst of 5; a slow machine may refill a token or two while the 12 requests arrive.
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(ok.length).toBeLessThanOrEqual(7);
    expect(limited.length).toBe(12 - ok.length);
    for (const r of limited) {
      expect(r.body).toEqual({ code: 429, message: 'Too Many Requests', detail: { retry_after_seconds: 1, message: expect.any(String) } });
      expect(r.headers.get('retry-after')).toBe('1');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await h.api('/v2/orgs/fleets')).status).toBe(200);
  });

  it('does not limit the control API, and a new limit applies at once', async () => {
    const control = await Promise.all(Array.from({ length: 20 }, () => h.call('/_sim/state')));
    expect(control.every((r) => r.status === 200)).toBe(true);
    const put = await h.call<{ api_rate_limit_per_second: number }>('/_sim/settings', { method: 'PUT', json: { api_rate_limit_per_second: 100 } });
    expect(put.body.api_rate_limit_per_second).toBe(100);
    const results = await Promise.all(Array.from({ length: 30 }, () => h.api('/v2/orgs/fleets')));
    expect(results.every((r) => r.status === 200)).toBe(true);
  });
});
