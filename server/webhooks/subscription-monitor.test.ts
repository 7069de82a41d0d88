import { describe, expect, it } from 'vitest';
import { withoutUrls } from './subscription-monitor.ts';

describe('withoutUrls', () => {
  it('takes every URL out of a failure text, whatever it carries, and leaves the rest', () => {
    expect(withoutUrls('POST https://console.example.com/webhooks/catena?token=s3cret failed: 503')).toBe('POST [url] failed: 503');
    expect(withoutUrls('connect ECONNREFUSED 10.0.4.17:443')).toBe('connect ECONNREFUSED 10.0.4.17:443');
    expect(withoutUrls('redirected to HTTP://a.example/x and http://b.example')).toBe('redirected to [url] and [url]');
  });
});
