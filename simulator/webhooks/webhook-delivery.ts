import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gzipSync } from 'node:zlib';
import type { SimSettings } from '../control/sim-settings.ts';
import { delay } from '../lib/delay.ts';
import { newId, uuidV7 } from '../lib/ids.ts';
import { isoTime, rfc3339Seconds } from '../lib/time.ts';
import { signWebhook } from './webhook-signing.ts';
import { passesFilters, type WebhookRecord, type WebhookStore } from './webhook-store.ts';

/** REFERENCE §10: 3 s per attempt (never scaled), up to 6 attempts, backoff 1 s, 2 s, 4 s … × time scale. */
export const DELIVERY_TIMEOUT_MS = 3000;
export const MAX_DELIVERY_ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 1000;
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

export interface DispatcherDeps {
  store: WebhookStore;
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

  /** Fans an event out to every active subscription of that event whose filters pass. */
  publish(eventName: string, data: unknown[], fleet: { id: string; fleet_ref: string | null }): void {
    if (this.deps.lifetime.aborted) return;
    const occurredAt = isoTime(Date.now());
    for (const hook of this.deps.store.activeFor(eventName)) {
      if (!passesFilters(hook.filters, fleet)) continue;
      const run = this.deliver(hook, eventName, data, occurredAt)
        .catch((error: unknown) => this.deps.onError(error))
        .finally(() => this.inflight.delete(run));
      this.inflight.add(run);
    }
  }

  recentAttempts(): readonly DeliveryAttempt[] {
    return this.attempts;
  }

  async drain(): Promise<void> {
    await Promise.allSettled(this.inflight);
  }

  private async deliver(hook: WebhookRecord, eventName: string, data: unknown[], occurredAt: string): Promise<void> {
    // One event id for all attempts, so the receiver can drop duplicates.
    const eventId = uuidV7();
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      // A subscription deleted (or paused) meanwhile gets no more attempts.
      const current = this.deps.store.get(hook.id);
      if (!current || current.status !== 'active') return;
      const json = JSON.stringify({
        version: SCHEMA_VERSION,
        event_name: eventName,
        webhook_id: hook.id,
        timestamp: occurredAt,
        id: eventId,
        delivery_attempt: attempt,
        data,
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
        'x-event-type': eventName,
        'x-webhook-id': hook.id,
        'x-request-id': requestId,
        'x-schema-version': SCHEMA_VERSION,
        'x-source': 'catena-notifications',
        'x-delivery-attempt': String(attempt),
      });
      if (this.deps.lifetime.aborted) return;
      // Any answer below 500 counts as delivered, as Catena documents.
      const delivered = result.statusCode !== null && result.statusCode < 500;
      this.remember({
        event_id: eventId,
        webhook_id: hook.id,
        event_name: eventName,
        attempt,
        request_id: requestId,
        at: isoTime(started),
        status_code: result.statusCode,
        error: result.error,
        delivered,
        dead_lettered: !delivered && attempt === MAX_DELIVERY_ATTEMPTS,
        duration_ms: Date.now() - started,
      });
      if (delivered || attempt === MAX_DELIVERY_ATTEMPTS) return;
      const backoff = FIRST_BACKOFF_MS * 2 ** (attempt - 1) * this.deps.settings.timeScale;
      if (!(await delay(backoff, this.deps.lifetime))) return;
    }
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
