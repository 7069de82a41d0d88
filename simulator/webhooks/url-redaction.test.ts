import { describe, expect, it } from 'vitest';
import { redactWebhookUrl } from './url-redaction.ts';

describe('redactWebhookUrl', () => {
  it.each([
    ['http://127.0.0.1:3000/webhooks/catena', 'http://127.0.0.1:3000/webhooks/*****'],
    ['https://your-domain.com/webhooks/abc123?token=x#y', 'https://your-domain.com/webhooks/*****'],
    ['https://example.com/hook', 'https://example.com/*****'],
    ['https://example.com', 'https://example.com/*****'],
    ['https://user:pass@example.com:8443/a/b/c', 'https://example.com:8443/a/*****'],
    ['http://[::1]:8080/webhooks/catena', 'http://[::1]:8080/webhooks/*****'],
    ['not a url', '*****'],
  ])('%s → %s', (input, expected) => {
    expect(redactWebhookUrl(input)).toBe(expected);
  });
});
