import type { WebhookLogEntry } from './webhook-ledger.ts';

/** WebhookMetrics' windows (TimePeriodMetric). */
export const METRIC_WINDOWS = { '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 86_400_000, '14d': 14 * 86_400_000 } as const;
type Window = keyof typeof METRIC_WINDOWS;
type TimePeriodMetric = Record<Window, number | null>;

/** `success_rate` is "only available if there are at least 200 messages". */
export const SUCCESS_RATE_MIN_MESSAGES = 200;

function perWindow(compute: (rows: readonly WebhookLogEntry[]) => number | null, logs: readonly WebhookLogEntry[], now: number): TimePeriodMetric {
  const out = {} as TimePeriodMetric;
  for (const [name, span] of Object.entries(METRIC_WINDOWS) as [Window, number][]) {
    out[name] = compute(logs.filter((row) => now - row.created_at < span));
  }
  return out;
}

function messages(rows: readonly WebhookLogEntry[]): { count: number; succeeded: number } {
  const byMessage = new Map<string, boolean>();
  for (const row of rows) byMessage.set(row.message_id, (byMessage.get(row.message_id) ?? false) || row.status === 'success');
  return { count: byMessage.size, succeeded: [...byMessage.values()].filter(Boolean).length };
}

/**
 * WebhookMetrics, "calculated from the WebhookLogs table": attempts and unique messages per window,
 * success rate as a whole percentage (the spec's example: 96), the breaker's EWMA and the DLQ size.
 */
export function webhookMetrics(input: { webhookId: string; logs: readonly WebhookLogEntry[]; ewma: number | null; dlqCount: number; now: number }) {
  const { logs, now } = input;
  return {
    webhook_id: input.webhookId,
    http_attempts: perWindow((rows) => rows.length, logs, now),
    http_success_attempts: perWindow((rows) => rows.filter((row) => row.status === 'success').length, logs, now),
    http_failure_attempts: perWindow((rows) => rows.filter((row) => row.status === 'failed').length, logs, now),
    message_count: perWindow((rows) => messages(rows).count, logs, now),
    message_success_count: perWindow((rows) => messages(rows).succeeded, logs, now),
    success_rate: perWindow(
      (rows) => {
        const { count, succeeded } = messages(rows);
        return count >= SUCCESS_RATE_MIN_MESSAGES ? Math.round((100 * succeeded) / count) : null;
      },
      logs,
      now,
    ),
    avg_response_time_ms: perWindow(
      (rows) => {
        const times = rows.map((row) => row.response_time_ms).filter((ms): ms is number => ms !== null);
        return times.length === 0 ? null : Math.round(times.reduce((a, b) => a + b, 0) / times.length);
      },
      logs,
      now,
    ),
    ewma_success_rate: input.ewma === null ? null : Math.round(input.ewma * 1000) / 1000,
    dlq_count: input.dlqCount,
  };
}
