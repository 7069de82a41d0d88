/**
 * Catena returns webhook urls "partially redacted" (`https://your-domain.com/webhooks/*****`).
 * Ours keeps scheme, host, port and the FIRST path segment, and masks the rest (more segments,
 * query, fragment, user info). A client recognises its own subscription by comparing
 * `redactWebhookUrl(itsUrl)` with the `url` it reads (docs/decisions/0103-simulator-webhook-url-redaction.md).
 *
 *   http://127.0.0.1:3000/webhooks/catena?x=1 → http://127.0.0.1:3000/webhooks/*****
 *   https://example.com/hook                  → https://example.com/*****
 *   https://example.com                       → https://example.com/*****
 */
export const REDACTED = '*****';

export function redactWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return REDACTED;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const kept = segments.length >= 2 ? `/${segments[0]}` : '';
  // URL.origin drops default ports, as a browser would; keep whatever port the subscriber wrote.
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  return `${url.protocol}//${host}${kept}/${REDACTED}`;
}
