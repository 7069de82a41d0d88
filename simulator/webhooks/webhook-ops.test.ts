import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CursorPage } from '../http/cursor-page.ts';
import { startSimulator, waitFor, type SimHarness } from '../test-support/sim-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.ts';
import type { toWebhookRead } from './webhook-views.ts';

/** Catena's webhook operations: status, the stale circuit breaker, logs, metrics, the DLQ and replay. */

type WebhookRead = ReturnType<typeof toWebhookRead>;
type LogRead = {
  created_at: string;
  message_id: string;
  event_name: string;
  status: 'success' | 'failed';
  status_code: number;
  error_message: string | null;
};
type Window = { '6h': number | null; '24h': number | null; '7d': number | null; '14d': number | null };
type Metrics = {
  http_attempts: Window;
  http_success_attempts: Window;
  http_failure_attempts: Window;
  message_count: Window;
  message_success_count: Window;
  success_rate: Window;
  ewma_success_rate: number | null;
  dlq_count: number;
};

let h: SimHarness;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  h = await startSimulator({ timeScale: 0.02, seedHistory: false });
});
afterAll(() => h.close());
afterEach(async () => {
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

async function subscribe(url: string, eventName = 'resource_operation.created'): Promise<WebhookRead> {
  const created = await h.api<WebhookRead>('/v2/notifications/webhooks', { json: { url, event_name: eventName, secret: 'ops-test-secret-0123' } });
  expect(created.status).toBe(200);
  return created.body;
}

async function sendMessages(count: number): Promise<void> {
  const connection = await h.connection('Northwind Freight');
  const users = await h.api<CursorPage<{ id: string; is_driver: boolean; is_active: boolean }>>(
    `/v2/telematics/users?connection_id=${connection.id}`,
  );
  const sender = users.body.items.find((u) => !u.is_driver)?.id;
  const recipient = users.body.items.find((u) => u.is_driver && u.is_active)?.id;
  for (let i = 0; i < count; i++) {
    const result = await h.api('/v2/telematics/messages', {
      json: { connection_id: connection.id, sender_id: sender, recipient_id: recipient, message_text: `Load ${i} ready` },
    });
    expect(result.status).toBe(202);
  }
}

const graceSeconds = (seconds: number) => h.call('/_sim/settings', { method: 'PUT', json: { webhook_stale_grace_seconds: seconds } });
const read = async (id: string) => (await h.api<WebhookRead>(`/v2/notifications/webhooks/${id}`)).body;
const metrics = async (id: string) => (await h.api<Metrics>(`/v2/notifications/webhooks/${id}/metrics`)).body;
const logs = async (id: string, query = '') => (await h.api<CursorPage<LogRead>>(`/v2/notifications/webhooks/${id}/logs${query}`)).body;
const staled = (id: string) => waitFor(async () => ((await read(id)).status === 'stale' ? true : undefined), 'the subscription to go stale');

describe('the stale circuit breaker', () => {
  it('low volume: 10 failed deliveries in a row stale it; webhook.staled goes out; later events wait in the DLQ', async () => {
    await graceSeconds(0);
    const dead = await receiver(() => 503);
    const watcher = await receiver();
    const hook = await subscribe(dead.url);
    await subscribe(watcher.url, 'webhook.staled');
    await sendMessages(3);
    await staled(hook.id);
    // 3 events × 4 attempts would make 12; the breaker stopped delivery at the 10th failure (an
    // attempt already on its way when it tripped may still land).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const attemptsWhenStaled = dead.deliveries.length;
    expect(attemptsWhenStaled).toBeGreaterThanOrEqual(10);
    expect(attemptsWhenStaled).toBeLessThan(12);
    const notice = await waitFor(async () => watcher.deliveries[0], 'webhook.staled');
    expect(notice.body).toMatchObject({
      event_name: 'webhook.staled',
      data: [{ id: hook.id, status: 'stale', event_name: 'resource_operation.created' }],
    });

    await sendMessages(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(dead.deliveries).toHaveLength(attemptsWhenStaled);
    expect((await metrics(hook.id)).dlq_count).toBe(5);
    const stale = await h.api<CursorPage<WebhookRead>>('/v2/notifications/webhooks?status=stale');
    expect(stale.body.items.map((w) => w.id)).toEqual([hook.id]);
  });

  it('judges nothing within the grace period after create (Catena: 15 minutes)', async () => {
    const dead = await receiver(() => 503);
    const hook = await subscribe(dead.url);
    await sendMessages(3);
    await waitFor(async () => ((await metrics(hook.id)).dlq_count === 3 ? true : undefined), 'three dead letters');
    expect(dead.deliveries).toHaveLength(12);
    expect((await read(hook.id)).status).toBe('active');
  });

  it('medium volume: from 20 attempts, a success rate below 80 % stales it', async () => {
    await graceSeconds(0);
    // Three failures then a success, over and over: never 10 in a row, 25 % success.
    const flaky = await receiver((_d, index) => (index % 4 === 3 ? 202 : 503));
    const hook = await subscribe(flaky.url);
    await sendMessages(10);
    await staled(hook.id);
    const rows = (await logs(hook.id, '?size=1000')).items;
    expect(rows.length).toBeGreaterThanOrEqual(20);
    // Staled at the 20th attempt: at most the attempts already on their way were logged after it.
    expect(rows.length).toBeLessThan(25);
  });

  it('high volume: from 50 attempts, an EWMA below 0.95 stales it even at an 80 % success rate', async () => {
    await graceSeconds(0);
    // Every fifth attempt fails: the plain rate stays at 80 % or more, the EWMA dips to about 0.76.
    const mostly = await receiver((_d, index) => (index % 5 === 4 ? 503 : 202));
    const hook = await subscribe(mostly.url);
    await sendMessages(45);
    await staled(hook.id);
    const m = await metrics(hook.id);
    expect(m.http_attempts['24h']).toBeGreaterThanOrEqual(50);
    expect(m.ewma_success_rate).toBeLessThan(0.95);
    expect((m.http_success_attempts['24h'] ?? 0) / (m.http_attempts['24h'] ?? 1)).toBeGreaterThanOrEqual(0.8);
  });
});

describe('pause, activate and replay', () => {
  it('a paused subscription queues events; replay needs it active; activate then replay delivers every event once, same ids', async () => {
    let down = true;
    const r = await receiver(() => (down ? 503 : 202));
    const hook = await subscribe(r.url);
    await sendMessages(2);
    await waitFor(async () => ((await metrics(hook.id)).dlq_count === 2 ? true : undefined), 'two dead letters');
    const failedIds = new Set(r.deliveries.map((d) => d.body.id));
    expect(failedIds.size).toBe(2);

    const paused = await h.api<WebhookRead>(`/v2/notifications/webhooks/${hook.id}/pause`, { method: 'POST' });
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    const before = r.deliveries.length;
    await sendMessages(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(r.deliveries).toHaveLength(before);
    expect((await metrics(hook.id)).dlq_count).toBe(3);

    const refused = await h.api<{ code: number; detail: string }>(`/v2/notifications/webhooks/${hook.id}/replay`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('activate');

    down = false;
    const activated = await h.api<WebhookRead>(`/v2/notifications/webhooks/${hook.id}/activate`, { method: 'POST' });
    expect([activated.status, activated.body.status]).toEqual([200, 'active']);
    const replay = await h.api(`/v2/notifications/webhooks/${hook.id}/replay`, { method: 'POST' });
    expect([replay.status, replay.body]).toEqual([202, {}]);
    await waitFor(async () => ((await metrics(hook.id)).dlq_count === 0 && r.deliveries.length >= before + 3 ? true : undefined), 'the replay');
    const replayed = r.deliveries.slice(before);
    expect(replayed).toHaveLength(3);
    // The two that had failed come back with their own ids, their attempts counted on (4 before, so 5).
    expect(replayed.filter((d) => failedIds.has(d.body.id)).map((d) => d.body.delivery_attempt)).toEqual([5, 5]);
    expect(replayed.find((d) => !failedIds.has(d.body.id))?.body.delivery_attempt).toBe(1);
  });

  it('activating an active subscription changes nothing; unknown ids are 404, bad ids 422, for every operation', async () => {
    const r = await receiver();
    const hook = await subscribe(r.url);
    const again = await h.api<WebhookRead>(`/v2/notifications/webhooks/${hook.id}/activate`, { method: 'POST' });
    expect([again.status, again.body.updated_at]).toEqual([200, hook.updated_at]);

    const unknown = '00000000-0000-4000-8000-000000000000';
    await h.api(`/v2/notifications/webhooks/${hook.id}`, { method: 'DELETE' });
    for (const id of [unknown, hook.id]) {
      for (const [method, op] of [
        ['POST', 'activate'],
        ['POST', 'pause'],
        ['GET', 'metrics'],
        ['POST', 'replay'],
        ['GET', 'logs'],
      ] as const) {
        const result = await h.api<{ code: number }>(`/v2/notifications/webhooks/${id}/${op}`, { method });
        expect({ op, status: result.status }).toEqual({ op, status: 404 });
      }
    }
    expect((await h.api(`/v2/notifications/webhooks/not-a-uuid/metrics`)).status).toBe(422);
    expect((await h.api(`/v2/notifications/webhooks/${unknown}/metrics`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('logs and metrics', () => {
  it('one log per attempt, newest first, filtered by status and time, paged by cursor; sizes outside 1–1000 are 422', async () => {
    const r = await receiver((_d, index) => (index < 2 ? 503 : 202));
    const hook = await subscribe(r.url);
    await sendMessages(3);
    await waitFor(async () => ((await logs(hook.id)).items.length === 5 ? true : undefined), 'five attempts');
    const all = (await logs(hook.id)).items;
    expect(all.map((row) => row.status)).toEqual(['success', 'success', 'success', 'failed', 'failed']);
    expect(all.at(-1)).toMatchObject({ status_code: 503, error_message: 'the endpoint answered HTTP 503', event_name: 'resource_operation.created' });
    expect(new Set(all.map((row) => row.message_id)).size).toBe(3);
    expect([...all].sort((a, b) => b.created_at.localeCompare(a.created_at))).toEqual(all);

    expect((await logs(hook.id, '?status=failed')).items).toHaveLength(2);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await logs(hook.id, `?start_date=${encodeURIComponent(future)}`)).items).toEqual([]);
    expect((await logs(hook.id, `?end_date=${encodeURIComponent(future)}`)).items).toHaveLength(5);

    const first = await logs(hook.id, '?size=2');
    expect(first.items).toHaveLength(2);
    const second = await logs(hook.id, `?size=2&cursor=${String(first.next_page)}`);
    const third = await logs(hook.id, `?size=2&cursor=${String(second.next_page)}`);
    expect([...first.items, ...second.items, ...third.items]).toEqual(all);
    expect(third.next_page).toBeNull();

    for (const query of ['?size=0', '?size=1001', '?status=maybe', '?start_date=yesterday']) {
      expect({ query, status: (await h.api(`/v2/notifications/webhooks/${hook.id}/logs${query}`)).status }).toEqual({ query, status: 422 });
    }
  });

  it('metrics count attempts and unique messages per window; success_rate needs 200 messages', async () => {
    const r = await receiver((_d, index) => (index === 0 ? 503 : 202));
    const hook = await subscribe(r.url);
    await sendMessages(2);
    await waitFor(async () => ((await metrics(hook.id)).http_attempts['24h'] === 3 ? true : undefined), 'three attempts');
    const m = await metrics(hook.id);
    const each = (value: number | null) => ({ '6h': value, '24h': value, '7d': value, '14d': value });
    expect(m).toMatchObject({
      http_attempts: each(3),
      http_success_attempts: each(2),
      http_failure_attempts: each(1),
      message_count: each(2),
      message_success_count: each(2),
      success_rate: each(null),
      dlq_count: 0,
    });
    expect(m.ewma_success_rate).toBeGreaterThan(0.8);
  });
});
