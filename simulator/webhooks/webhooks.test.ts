import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CursorPage } from '../http/cursor-page.ts';
import type { OperationRead } from '../operations/operation-views.ts';
import { startSimulator, waitFor, type SimHarness } from '../test-support/sim-harness.ts';
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from '../test-support/webhook-receiver.ts';
import type { toWebhookRead } from './webhook-views.ts';

type WebhookRead = ReturnType<typeof toWebhookRead>;

let h: SimHarness;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  h = await startSimulator({ timeScale: 0.02, seedHistory: false });
});
afterAll(() => h.close());
afterEach(async () => {
  // Remove every subscription so one test's deliveries never reach another's receiver.
  const hooks = await h.api<CursorPage<WebhookRead>>('/v2/notifications/webhooks?size=1000');
  for (const hook of hooks.body.items) await h.api(`/v2/notifications/webhooks/${hook.id}`, { method: 'DELETE' });
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await h.call('/_sim/reset', { method: 'POST' });
});

async function receiver(respond?: Parameters<typeof startWebhookReceiver>[0]) {
  const r = await startWebhookReceiver(respond);
  receivers.push(r);
  return r;
}

async function subscribe(url: string, event_name: string, extra: Record<string, unknown> = {}) {
  return h.api<WebhookRead | WebhookRead[]>('/v2/notifications/webhooks', { json: { url, event_name, ...extra } });
}

async function sendMessage(fleetName: string): Promise<OperationRead> {
  const connection = await h.connection(fleetName);
  const users = await h.api<CursorPage<{ id: string; is_driver: boolean; is_active: boolean }>>(
    `/v2/telematics/users?connection_id=${connection.id}`,
  );
  const sender = users.body.items.find((u) => !u.is_driver);
  const recipient = users.body.items.find((u) => u.is_driver && u.is_active);
  const result = await h.api<OperationRead>('/v2/telematics/messages', {
    json: { connection_id: connection.id, sender_id: sender?.id, recipient_id: recipient?.id, message_text: 'Gate code changed to 4471' },
  });
  expect(result.status).toBe(202);
  return result.body;
}

function verify(delivery: ReceivedDelivery, secret: string): boolean {
  const timestamp = String(delivery.headers['x-catena-timestamp']);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${delivery.json}`).digest('base64');
  return expected === delivery.headers['x-catena-signature'];
}

const SECRET = 'test-secret-of-enough-length';

describe('webhook subscriptions', () => {
  it('resource_operation.* creates three subscriptions and answers 200 with the list', async () => {
    const r = await receiver();
    const created = await subscribe(r.url, 'resource_operation.*', { secret: SECRET });
    expect(created.status).toBe(200);
    expect(Array.isArray(created.body)).toBe(true);
    const list = created.body as WebhookRead[];
    expect(list.map((w) => w.event_name).sort()).toEqual(['resource_operation.created', 'resource_operation.failed', 'resource_operation.succeeded']);
    for (const hook of list) {
      expect(hook).toMatchObject({ status: 'active', filters: null, secret: SECRET, deleted_at: null, partner_id: (await h.state()).partner_id });
      // Redacted even in the create response; scheme, host, port and the first segment stay.
      expect(hook.url).toBe(r.url.replace('/webhooks/catena', '/webhooks/*****'));
    }
  });

  it('a single event answers one object; a generated secret is shown once, then masked', async () => {
    const r = await receiver();
    const created = await subscribe(r.url, 'resource_operation.failed');
    expect(created.status).toBe(200);
    const hook = created.body as WebhookRead;
    expect(hook.event_name).toBe('resource_operation.failed');
    expect(hook.secret.length).toBeGreaterThanOrEqual(16);
    expect(hook.secret).not.toBe('*****');

    const read = await h.api<WebhookRead>(`/v2/notifications/webhooks/${hook.id}`);
    expect(read.status).toBe(200);
    expect(read.body.secret).toBe('*****');
    expect(read.body.url).toBe(hook.url);
    const list = await h.api<CursorPage<WebhookRead>>('/v2/notifications/webhooks?event_name=resource_operation.failed&status=active');
    expect(list.body.items.map((w) => [w.id, w.secret])).toEqual([[hook.id, '*****']]);
  });

  it('409 for the same (event, url, filters); other filters are another subscription', async () => {
    const r = await receiver();
    expect((await subscribe(r.url, 'resource_operation.succeeded', { secret: SECRET })).status).toBe(200);
    const again = await subscribe(r.url, 'resource_operation.succeeded', { secret: SECRET, filters: { fleet_ids: [], fleet_refs: [] } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 409, message: 'Conflict' });
    // The catch-all clashes with the existing one: all or nothing.
    expect((await subscribe(r.url, 'resource_operation.*')).status).toBe(409);
    const filtered = await subscribe(r.url, 'resource_operation.succeeded', { filters: { fleet_refs: ['NWF-1042'] } });
    expect(filtered.status).toBe(200);
  });

  it('422 for bad urls, short secrets, unknown events; delete is 204 then 404', async () => {
    const bad = [
      { url: 'not a url', event_name: 'resource_operation.created' },
      { url: 'ftp://example.com/x', event_name: 'resource_operation.created' },
      { url: `https://example.com/${'a'.repeat(2100)}`, event_name: 'resource_operation.created' },
      { url: 'https://example.com/hook', event_name: 'resource_operation.exploded' },
      { url: 'https://example.com/hook', event_name: 'resource_operation.created', secret: 'short' },
      { event_name: 'resource_operation.created' },
    ];
    for (const body of bad) {
      const result = await h.api<{ code: number; detail: unknown[] }>('/v2/notifications/webhooks', { json: body });
      expect({ body, status: result.status }).toEqual({ body, status: 422 });
      expect(result.body.detail.length).toBeGreaterThan(0);
    }
    const hook = (await subscribe('https://example.com/hook', 'resource_operation.created')).body as WebhookRead;
    expect(hook.url).toBe('https://example.com/*****');
    expect((await h.api(`/v2/notifications/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.api(`/v2/notifications/webhooks/${hook.id}`)).status).toBe(404);
    expect((await h.api(`/v2/notifications/webhooks/${hook.id}`, { method: 'DELETE' })).status).toBe(404);
    // Deleted: the same subscription may be created again.
    expect((await subscribe('https://example.com/hook', 'resource_operation.created')).status).toBe(200);
  });
});

describe('webhook delivery', () => {
  it('delivers created and succeeded: gzipped, signed, with every documented header', async () => {
    const r = await receiver();
    await subscribe(r.url, 'resource_operation.*', { secret: SECRET });
    const op = await sendMessage('Northwind Freight');
    await waitFor(async () => (r.deliveries.length >= 2 ? true : undefined), 'two deliveries');
    const byEvent = new Map(r.deliveries.map((d) => [d.body.event_name, d]));
    const created = byEvent.get('resource_operation.created');
    const succeeded = byEvent.get('resource_operation.succeeded');
    expect(created && succeeded).toBeTruthy();
    for (const d of [created, succeeded] as ReceivedDelivery[]) {
      expect(d.path).toBe('/webhooks/catena');
      expect(d.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(d.headers).toMatchObject({
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'user-agent': 'Catena-Webhook',
        accept: 'application/json',
        'x-event-type': d.body.event_name,
        'x-webhook-id': d.body.webhook_id,
        'x-schema-version': '1.0',
        'x-source': 'catena-notifications',
        'x-delivery-attempt': '1',
      });
      expect(String(d.headers['x-catena-timestamp'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
      expect(String(d.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
      expect(verify(d, SECRET)).toBe(true);
      expect(verify(d, 'another-secret-value')).toBe(false);
      expect(d.body).toMatchObject({ version: '1.0', delivery_attempt: 1 });
      expect(d.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(d.body.data).toHaveLength(1);
      expect(d.body.data[0]?.id).toBe(op.id);
    }
    expect(created?.body.data[0]).toMatchObject({ status: 'pending', logs: [], source_name: 'samsara', fleet_ref: 'NWF-1042' });
    expect(succeeded?.body.data[0]).toMatchObject({ status: 'success' });
    expect(succeeded?.body.data[0]?.logs).toHaveLength(1);
  });

  it('delivers resource_operation.failed with the error logs', async () => {
    const r = await receiver();
    await subscribe(r.url, 'resource_operation.failed', { secret: SECRET });
    const op = await sendMessage('Coastal Carriers');
    const delivery = await waitFor(async () => r.deliveries[0], 'the failed event');
    expect(delivery.body.event_name).toBe('resource_operation.failed');
    expect(delivery.body.data[0]).toMatchObject({ id: op.id, status: 'failed', logs: [expect.objectContaining({ error_type: 'auth' })] });
  });

  it('retries 5xx answers with the same event id, counting attempts up; a 4xx counts as delivered', async () => {
    const r = await receiver((_d, index) => (index < 2 ? 503 : 400));
    await subscribe(r.url, 'resource_operation.created', { secret: SECRET });
    await sendMessage('Northwind Freight');
    await waitFor(async () => (r.deliveries.length >= 3 ? true : undefined), 'three attempts');
    // Give a wrong 4th attempt a chance to show up before asserting there is none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.deliveries).toHaveLength(3);
    expect(new Set(r.deliveries.map((d) => d.body.id)).size).toBe(1);
    expect(r.deliveries.map((d) => d.headers['x-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(r.deliveries.map((d) => d.body.delivery_attempt)).toEqual([1, 2, 3]);
    expect(new Set(r.deliveries.map((d) => d.headers['x-request-id'])).size).toBe(3);
    for (const d of r.deliveries) expect(verify(d, SECRET)).toBe(true);
  });

  it('gives up after 1 attempt and 3 retries and puts the event in the dead-letter queue', async () => {
    const r = await receiver(() => 500);
    const hook = (await subscribe(r.url, 'resource_operation.created', { secret: SECRET })).body as WebhookRead;
    await sendMessage('Northwind Freight');
    const log = await waitFor(async () => {
      const { body } = await h.call<{ items: { attempt: number; dead_lettered: boolean; status_code: number }[] }>(
        `/_sim/deliveries?webhook_id=${hook.id}`,
      );
      return body.items.some((a) => a.dead_lettered) ? body.items : undefined;
    }, 'the dead letter');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.deliveries).toHaveLength(4);
    expect(log[0]).toMatchObject({ attempt: 4, dead_lettered: true, status_code: 500 });
    const metrics = await h.api<{ dlq_count: number }>(`/v2/notifications/webhooks/${hook.id}/metrics`);
    expect(metrics.body.dlq_count).toBe(1);
  });

  it('honours fleet filters, and sync writes fire no webhooks', async () => {
    const r = await receiver();
    await subscribe(r.url, 'resource_operation.created', { secret: SECRET, filters: { fleet_refs: ['BRL-2217'] } });
    await sendMessage('Northwind Freight');
    const blueRidge = await sendMessage('Blue Ridge Logistics');
    await waitFor(async () => r.deliveries[0], 'a delivery');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.deliveries.map((d) => d.body.data[0]?.id)).toEqual([blueRidge.id]);

    const connection = await h.connection('Blue Ridge Logistics');
    const users = await h.api<CursorPage<{ id: string; is_driver: boolean; is_active: boolean }>>(
      `/v2/telematics/users?connection_id=${connection.id}`,
    );
    const sync = await h.api('/v2/telematics/messages?is_sync=true', {
      json: {
        connection_id: connection.id,
        sender_id: users.body.items.find((u) => !u.is_driver)?.id,
        recipient_id: users.body.items.find((u) => u.is_driver && u.is_active)?.id,
        message_text: 'sync',
      },
    });
    expect(sync.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.deliveries).toHaveLength(1);
  });

  it('a dead url never blocks processing', async () => {
    const r = await receiver();
    const deadUrl = r.url;
    await r.close();
    await subscribe(deadUrl, 'resource_operation.*', { secret: SECRET });
    const op = await sendMessage('Northwind Freight');
    const connection = await h.connection('Northwind Freight');
    const done = await waitFor(async () => {
      const { body } = await h.api<OperationRead>(`/v2/integrations/connections/${connection.id}/resource-operations/${op.id}`);
      return body.status === 'success' ? body : undefined;
    }, 'success despite the dead webhook');
    expect(done.logs).toHaveLength(1);
  });

  it('PATCH rotates the secret: later deliveries are signed with the new one', async () => {
    const r = await receiver();
    const hook = (await subscribe(r.url, 'resource_operation.created', { secret: SECRET })).body as WebhookRead;
    const patched = await h.api<WebhookRead>(`/v2/notifications/webhooks/${hook.id}`, { method: 'PATCH', json: { secret: 'rotated-secret-123' } });
    expect(patched.status).toBe(200);
    expect(patched.body.secret).toBe('*****');
    expect((await h.api(`/v2/notifications/webhooks/${hook.id}`, { method: 'PATCH', json: { secret: 'short' } })).status).toBe(422);
    await sendMessage('Northwind Freight');
    const delivery = await waitFor(async () => r.deliveries[0], 'a delivery');
    expect([verify(delivery, 'rotated-secret-123'), verify(delivery, SECRET)]).toEqual([true, false]);
  });

  it('a deleted subscription gets nothing more', async () => {
    const r = await receiver();
    const hook = (await subscribe(r.url, 'resource_operation.created', { secret: SECRET })).body as WebhookRead;
    await h.api(`/v2/notifications/webhooks/${hook.id}`, { method: 'DELETE' });
    await sendMessage('Northwind Freight');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.deliveries).toHaveLength(0);
  });
});
