import { createHmac, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** Catena rejects nothing older than this itself; we refuse replays older than it (docs: 5 minutes). */
export const SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

export class WebhookRejection extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Inflates a gzip body, refusing anything that is not gzip or that inflates past `maxBytes` (a gzip bomb). */
export async function inflateGzipBody(body: Buffer, maxBytes: number): Promise<Buffer> {
  if (body.length < 18 || body[0] !== 0x1f || body[1] !== 0x8b) {
    throw new WebhookRejection(400, 'not_gzip', 'The webhook body must be gzip-compressed JSON.');
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new WebhookRejection(413, 'body_too_large', `The webhook body inflates past ${maxBytes} bytes.`);
    }
    throw new WebhookRejection(400, 'not_gzip', 'The webhook body is not valid gzip.');
  }
}

/** Parses X-Catena-Timestamp and refuses one outside the tolerance either way (clock skew or replay). */
export function checkTimestamp(header: string | undefined, now: number): void {
  if (!header) throw new WebhookRejection(401, 'missing_timestamp', 'X-Catena-Timestamp is missing.');
  const at = Date.parse(header);
  if (!Number.isFinite(at) || !/^\d{4}-\d{2}-\d{2}T/.test(header)) {
    throw new WebhookRejection(401, 'invalid_timestamp', 'X-Catena-Timestamp is not an RFC 3339 time.');
  }
  if (Math.abs(now - at) > SIGNATURE_TOLERANCE_MS) {
    throw new WebhookRejection(401, 'stale_timestamp', 'X-Catena-Timestamp is more than 5 minutes away from now.');
  }
}

/** base64(HMAC-SHA256(secret, timestamp + "." + inflated body)), compared in constant time. */
export function checkSignature(secret: string, timestamp: string, inflatedBody: Buffer, signatureHeader: string | undefined): void {
  if (!signatureHeader) throw new WebhookRejection(401, 'missing_signature', 'X-Catena-Signature is missing.');
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(inflatedBody).digest();
  const given = Buffer.from(signatureHeader.trim(), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookRejection(401, 'invalid_signature', 'X-Catena-Signature does not match the body.');
  }
}

/** What Catena computes; used by tests and by anyone replaying an event by hand. */
export function signWebhook(secret: string, timestamp: string, inflatedBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(inflatedBody).digest('base64');
}
