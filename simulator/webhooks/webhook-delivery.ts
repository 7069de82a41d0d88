import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gzipSync } from 'node:zlib';
import type { SimSettings } from '../control/sim-settings.ts';
import { delay } from '../lib/delay.ts';
import { newId, uuidV7 } from '../lib/ids.ts';
import { isoTime, rfc3339Seconds } from '../lib/time.ts';
import { recordAttempt, staleReason } from './circuit-breaker.ts';
import { redactWebhookUrl } from './url-redaction.ts';
import type { QueuedEvent, WebhookLedger } from './webhook-ledger.ts';
import { signWebhook } from './webhook-signing.ts';
import { passesFilters, type WebhookRecord, type WebhookStore } from './webhook-store.ts';

/**
 * Catena's documented schedule: 3 s per attempt (never scaled), "retried up to 3 times within
 * approximately 5 seconds" with exponential backoff (0.5, 1, 2 s × time scale), then the event
 * moves to the dead-letter queue until someone replays it.
 */
export const DELIVERY_TIMEOUT_MS = 3000;
export const MAX_DELIVERY_ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 500;
const SCHEMA_VERSION = '1.0';
const KEEP_ATTEMPTS = 1000;

export interface DeliveryAttempt {
  event_id: string;
  webhook_id: string;
  event_name: string;
  attempt: number;
  request_id: string;
  at: string;
  status_code: number | null;
  error: string | null;
  delivered: boolean;
  /** True on the last failed attempt: the event went to the dead-letter queue. */
  dead_lettered: boolean;
  duration_ms: number;
}

interface PostResult {
  statusCode: number | null;
  error: string | null;
}

export type WebhookLifecycleEvent = 'webhook.staled' | 'webhook.activated' | 'webhook.paused';

export interface DispatcherDeps {
  store: WebhookStore;
  ledger: WebhookLedger;
  settings: SimSettings;
  lifetime: AbortSignal;
  onError: (error: unknown) => void;
}

/**
 * Delivers events to subscriptions in the background. Nothing here can block or fail the
 * operation that caused the event: every delivery runs on its own and swallows its errors.
 */
export class WebhookDispatcher {
  private readonly inflight = new Set<Promise<void>>();
  private readonly attempts: DeliveryAttempt[] = [];

  constructor(private readonly deps: DispatcherDeps) {}

  /**
   * Fans an event out to every subscription of that event whose filters pass: an active one gets
   * it now, a paused or stale one keeps it in its dead-letter queue for a replay (decision 0100).
   */
  publish(eventName: string, data: unknown[], fleet: { id: string; fleet_ref: string | null } | null): void {
    if (this.deps.lifetime.aborted) return;
    const occurredAt = isoTime(Date.now());
    for (const hook of this.deps.store.liveFor(eventName)) {
      if (fleet !== null && !passesFilters(hook.filters, fleet)) continue;
      // One event id for all attempts and replays, so the receiver can drop duplicates.
      const event: QueuedEvent = { event_id: uuidV7(), event_name: eventName, data, occurred_at: occurredAt, attempts: 0, queued_at: Date.now() };
      if (hook.status === 'active') this.start(hook.id, event);
      else this.deps.ledger.enqueue(hook.id, event);
    }
  }

  /** Delivers the whole dead-letter queue again, each event with the full retry schedule. */
  replay(webhookId: string): number {
    const events = this.deps.ledger.takeDlq(webhookId, Date.now());
    for (const event of events) this.start(webhookId, event);
    return events.length;
  }

  /** `webhook.staled` / `.activated` / `.paused` to whoever subscribed to them (BaseWebhookEvent data). */
  publishLifecycle(eventName: WebhookLifecycleEvent, hook: WebhookRecord): void {
    this.publish(
      eventName,
      [{ id: hook.id, url: redactWebhookUrl(hook.url), event_name: hook.event_name, filters: hook.filters, status: hook.status }],
      null,
    );
  }

  recentAttempts(): readonly DeliveryAttempt[] {
    return this.attempts;
  }

  async drain(): Promise<void> {
    await Promise.allSettled(this.inflight);
  }

  private start(webhookId: string, event: QueuedEvent): void {
    const run = this.deliver(webhookId, event)
      .catch((error: unknown) => this.deps.onError(error))
      .finally(() => this.inflight.delete(run));
    this.inflight.add(run);
  }

  private async deliver(webhookId: string, event: QueuedEvent): Promise<void> {
    for (let run = 1; run <= MAX_DELIVERY_ATTEMPTS; run++) {
      const current = this.deps.store.get(webhookId);
      // Deleted meanwhile: nothing more, not even the DLQ.
      if (!current) return;
      // Paused or staled meanwhile (perhaps by this very event's failures): it waits for a replay.
      if (current.status !== 'active') {
        this.deps.ledger.enqueue(webhookId, { ...event, queued_at: Date.now() });
        return;
      }
      event.attempts += 1;
      const attempt = event.attempts;
      const json = JSON.stringify({
        version: SCHEMA_VERSION,
        event_name: event.event_name,
        webhook_id: webhookId,
        timestamp: event.occurred_at,
        id: event.event_id,
        delivery_attempt: attempt,
        data: event.data,
      });
      const timestamp = rfc3339Seconds(Date.now());
      const requestId = newId();
      const started = Date.now();
      const result = await this.post(current.url, gzipSync(json), {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'user-agent': 'Catena-Webhook',
        accept: 'application/json',
        'x-catena-signature': signWebhook(current.secret, timestamp, json),
        'x-catena-timestamp': timestamp,
        'x-event-type': event.event_name,
        'x-webhook-id': webhookId,
        'x-request-id': requestId,
        'x-schema-version': SCHEMA_VERSION,
        'x-source': 'catena-notifications',
        'x-delivery-attempt': String(attempt),
      });
      if (this.deps.lifetime.aborted) return;
      const finished = Date.now();
      // Any answer below 500 ends the retries, as Catena documents; only a 2xx counts as a success in logs and metrics.
      const delivered = result.statusCode !== null && result.statusCode < 500;
      const success = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
      const deadLettered = !delivered && run === MAX_DELIVERY_ATTEMPTS;
      this.remember({
        event_id: event.event_id,
        webhook_id: webhookId,
        event_name: event.event_name,
        attempt,
        request_id: requestId,
        at: isoTime(started),
        status_code: result.statusCode,
        error: result.error,
        delivered,
        dead_lettered: deadLettered,
        duration_ms: finished - started,
      });
      this.deps.ledger.addLog({
        created_at: started,
        webhook_id: webhookId,
        message_id: event.event_id,
        event_name: event.event_name,
        status: success ? 'success' : 'failed',
        status_code: result.statusCode ?? 0,
        error_message: success ? null : (result.error ?? `the endpoint answered HTTP ${String(result.statusCode)}`),
        response_time_ms: result.statusCode === null ? null : finished - started,
      });
      this.judge(current, success, finished);
      if (delivered) return;
      if (deadLettered) {
        this.deps.ledger.enqueue(webhookId, { ...event, queued_at: finished });
        return;
      }
      const backoff = FIRST_BACKOFF_MS * 2 ** (run - 1) * this.deps.settings.timeScale;
      if (!(await delay(backoff, this.deps.lifetime))) return;
    }
  }

  /** Counts the attempt for the circuit breaker and stales the subscription when it trips. */
  private judge(hook: WebhookRecord, success: boolean, now: number): void {
    recordAttempt(hook.breaker, success);
    if (hook.status !== 'active' || staleReason(hook.breaker, now, this.deps.settings.webhookStaleGraceMs) === null) return;
    hook.status = 'stale';
    hook.updated_at = now;
    this.publishLifecycle('webhook.staled', hook);
  }

  private remember(attempt: DeliveryAttempt): void {
    this.attempts.push(attempt);
    if (this.attempts.length > KEEP_ATTEMPTS) this.attempts.splice(0, this.attempts.length - KEEP_ATTEMPTS);
  }

  private post(url: string, body: Buffer, headers: Record<string, string>): Promise<PostResult> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: PostResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(result);
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        finish({ statusCode: null, error: 'invalid url' });
        return;
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(body.length) },
          // No keep-alive: a delivery leaves no socket behind to hold the process open.
          agent: false,
          signal: this.deps.lifetime,
        },
        (res: IncomingMessage) => {
          res.on('error', () => finish({ statusCode: res.statusCode ?? null, error: 'response stream error' }));
          res.on('end', () => finish({ statusCode: res.statusCode ?? null, error: null }));
          res.resume();
        },
      );
      // The whole attempt — connect, send, answer — must finish within 3 s.
      const deadline = setTimeout(() => {
        req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`));
      }, DELIVERY_TIMEOUT_MS);
      req.on('error', (error: Error) => finish({ statusCode: null, error: error.message }));
      req.end(body);
    });
  }
}
