import { createHmac } from 'node:crypto';

/** base64(HMAC-SHA256(secret, timestamp + "." + uncompressed JSON body)), as Catena documents. */
export function signWebhook(secret: string, timestamp: string, json: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${json}`).digest('base64');
}
