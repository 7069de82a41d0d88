/**
 * When a pending operation counts as stuck: Catena tries a write for minutes, not hours, so one
 * still pending well past its resource's usual time needs a person's look. A message is retried
 * within a few minutes; records (drivers, vehicles, DVIR logs …) may wait longer on their TSP.
 */
export type StuckThresholds = { default: number } & Record<string, number>;

export const DEFAULT_STUCK_AFTER_MINUTES: StuckThresholds = { default: 30, message: 10 };

/**
 * `STUCK_AFTER_MINUTES`: `message=10,default=30` (any resource by name, and `default` for the
 * rest). Returns the thresholds in minutes, or the reason it cannot be read.
 */
export function parseStuckThresholds(text: string | undefined): StuckThresholds | string {
  if (!text?.trim()) return DEFAULT_STUCK_AFTER_MINUTES;
  const thresholds: StuckThresholds = { ...DEFAULT_STUCK_AFTER_MINUTES };
  for (const part of text.split(',')) {
    const match = /^\s*([a-z_]{1,64})\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    const minutes = match?.[2] === undefined ? Number.NaN : Number(match[2]);
    if (!match?.[1] || !(minutes > 0) || minutes > 7 * 24 * 60) {
      return `"${part.trim()}" is not resource=minutes (e.g. message=10,default=30; 1 minute to 7 days)`;
    }
    thresholds[match[1]] = minutes;
  }
  return thresholds;
}

/** The one rule, as the `stuck` filter's SQL applies it: pending, and created longer ago than its resource's threshold. */
export function isStuck(op: { status: string; resource: string; created_at: string }, thresholds: StuckThresholds, now = Date.now()): boolean {
  const minutes = thresholds[op.resource] ?? thresholds.default;
  return op.status === 'pending' && Date.parse(op.created_at) < now - minutes * 60_000;
}
