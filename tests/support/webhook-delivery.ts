import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { signWebhook } from '../../server/webhooks/webhook-verification.ts';

/** A resource operation as Catena sends it in events and list pages. */
export function catenaOperation(overrides: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  const id = randomUUID();
  return {
    id,
    created_at: now,
    updated_at: now,
    partner_id: '7a1c6b52-3c4e-4d0f-9a4b-2f6a8d1e0c11',
    connection_id: 'c0ffee00-0000-4000-8000-000000000001',
    fleet_ref: 'NWF-1042',
    source_name: 'samsara',
    resource: 'message',
    operation_type: 'create',
    status: 'pending',
    resource_id: null,
    source_id: null,
    payload: { message_text: 'Gate code changed to 4471', source_recipient_id: 'drv-1' },
    logs: [],
    ...overrides,
  };
}

export function eventEnvelope(eventName: string, data: unknown[], id: string = randomUUID()) {
  return { version: '1.0', event_name: eventName, webhook_id: randomUUID(), timestamp: new Date().toISOString(), id, delivery_attempt: 1, data };
}

/** Posts an event the way Catena does (gzip, signature over timestamp + "." + JSON); each part can be spoiled. */
export async function deliver(
  consoleUrl: string,
  envelope: unknown,
  options: { secret: string; timestamp?: string; body?: Buffer; signature?: string; tamper?: (json: string) => string },
): Promise<Response> {
  const json = JSON.stringify(envelope);
  const timestamp = options.timestamp ?? new Date().toISOString().replace('Z', '+00:00');
  const signature = options.signature ?? signWebhook(options.secret, timestamp, json);
  const sent = options.tamper ? options.tamper(json) : json;
  return fetch(`${consoleUrl}/webhooks/catena`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'user-agent': 'Catena-Webhook',
      'x-catena-signature': signature,
      'x-catena-timestamp': timestamp,
      'x-event-type': (envelope as { event_name?: string }).event_name ?? '',
    },
    body: options.body ?? gzipSync(sent),
  });
}
