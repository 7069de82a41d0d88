/**
 * What Catena keeps per subscription besides the subscription itself: one log row per delivery
 * attempt (WebhookLogRead) and the dead-letter queue (DLQ) of events whose delivery gave up, or
 * that arrived while the subscription was paused or stale. Both keep 14 days, as documented.
 */

export const RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/** A bound on memory for a demo left running against a dead endpoint; far above any test. */
const MAX_LOGS_PER_WEBHOOK = 100_000;
const MAX_DLQ_PER_WEBHOOK = 100_000;

export interface WebhookLogEntry {
  /** Increasing per simulator: orders rows with the same millisecond. */
  seq: number;
  created_at: number;
  webhook_id: string;
  message_id: string;
  event_name: string;
  status: 'success' | 'failed';
  /** The HTTP status; 0 when no answer came (refused, reset, timed out), with the reason in error_message. */
  status_code: number;
  error_message: string | null;
  response_time_ms: number | null;
}

export interface QueuedEvent {
  event_id: string;
  event_name: string;
  data: unknown[];
  /** The event's own time (the body's `timestamp`), the same on every attempt and replay. */
  occurred_at: string;
  /** Attempts made so far, over every run: a replayed event goes on counting `delivery_attempt`. */
  attempts: number;
  queued_at: number;
}

export class WebhookLedger {
  private readonly logsByHook = new Map<string, WebhookLogEntry[]>();
  private readonly dlqByHook = new Map<string, QueuedEvent[]>();
  private seq = 0;

  addLog(entry: Omit<WebhookLogEntry, 'seq'>): WebhookLogEntry {
    const row = { ...entry, seq: ++this.seq };
    const rows = this.logsByHook.get(entry.webhook_id) ?? [];
    rows.push(row);
    if (rows.length > MAX_LOGS_PER_WEBHOOK) rows.splice(0, rows.length - MAX_LOGS_PER_WEBHOOK);
    this.logsByHook.set(entry.webhook_id, rows);
    return row;
  }

  /** Rows of the last 14 days, oldest first. */
  logs(webhookId: string, now: number): readonly WebhookLogEntry[] {
    const rows = this.logsByHook.get(webhookId) ?? [];
    const firstKept = rows.findIndex((row) => now - row.created_at < RETENTION_MS);
    if (firstKept === -1) rows.length = 0;
    else if (firstKept > 0) rows.splice(0, firstKept);
    return rows;
  }

  enqueue(webhookId: string, event: QueuedEvent): void {
    const queue = this.dlqByHook.get(webhookId) ?? [];
    queue.push(event);
    if (queue.length > MAX_DLQ_PER_WEBHOOK) queue.splice(0, queue.length - MAX_DLQ_PER_WEBHOOK);
    this.dlqByHook.set(webhookId, queue);
  }

  dlqCount(webhookId: string, now: number): number {
    return this.liveDlq(webhookId, now).length;
  }

  /** Empties the DLQ and returns what was in it (kept for 14 days), oldest first. */
  takeDlq(webhookId: string, now: number): QueuedEvent[] {
    const events = this.liveDlq(webhookId, now);
    this.dlqByHook.delete(webhookId);
    return events;
  }

  private liveDlq(webhookId: string, now: number): QueuedEvent[] {
    const queue = (this.dlqByHook.get(webhookId) ?? []).filter((event) => now - event.queued_at < RETENTION_MS);
    this.dlqByHook.set(webhookId, queue);
    return queue;
  }
}
