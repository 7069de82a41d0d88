/**
 * A fresh Idempotency-Key for one intent to write (a send, a resend): the same key goes with
 * every retry of that intent, so the console server sends it to Catena at most once
 * (docs/decisions/0003-idempotency-keys.md). `crypto.randomUUID` exists only in secure contexts;
 * a console served over plain http inside a company network still gets a random v4 id.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
