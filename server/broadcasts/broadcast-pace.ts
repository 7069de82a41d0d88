import type { BroadcastPace } from '../../contracts/broadcast-schemas.ts';

/** The sends the pace is measured over: recent enough to follow a change (a 429, a slower TSP). */
export const PACE_WINDOW_MS = 30_000;
/** With no send this recent, the old pace no longer says anything about now. */
export const PACE_STALE_AFTER_MS = 10_000;

/**
 * How fast a broadcast's recipients are handed to Catena now, measured from when each request
 * left (`submitting_since`, on the database's clock): the sends within the window before the
 * newest one, spread over their span. Two sends at least are needed to measure a rate; fewer, or
 * none lately (Catena asked to wait), and the pace is unknown — said as such, never guessed.
 */
export function paceOf({
  queued,
  sentAt,
  now,
  waitingForCatena,
}: {
  queued: number;
  /** When each of the broadcast's requests left, in any order (ISO). */
  sentAt: readonly string[];
  now: number;
  waitingForCatena: boolean;
}): BroadcastPace | null {
  if (queued === 0) return null;
  const times = sentAt
    .map((at) => Date.parse(at))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const newest = times.at(-1);
  let perSecond: number | null = null;
  if (newest !== undefined && now - newest <= PACE_STALE_AFTER_MS && !waitingForCatena) {
    const recent = times.filter((at) => at >= newest - PACE_WINDOW_MS);
    const oldest = recent[0] ?? newest;
    const spanSeconds = (newest - oldest) / 1000;
    if (recent.length >= 2 && spanSeconds > 0) perSecond = (recent.length - 1) / spanSeconds;
  }
  // Two figures are all a person reads ("50 a second", "0.8 a second"), and never round to 0; the
  // time left is worked out from the rate as shown, so the two words on screen agree.
  const shown = perSecond === null ? null : Number(perSecond.toPrecision(2));
  return {
    queued,
    per_second: shown,
    seconds_left: shown === null ? null : Math.ceil(queued / shown),
    waiting_for_catena: waitingForCatena,
  };
}
