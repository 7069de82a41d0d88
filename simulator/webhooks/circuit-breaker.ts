/**
 * Catena's stale circuit breaker (operations-monitoring / webhook-faq docs), judged after every
 * delivery attempt on the attempts since the subscription was created, updated or last activated:
 *
 * - 50 or more attempts: the EWMA success rate below 95 %;
 * - 20–49 attempts: the plain success rate below 80 %;
 * - fewer than 20: 10 failures in a row;
 * - never within the grace period (15 minutes by default) after create, update or activate.
 *
 * "Success" is a 2xx answer, as the metrics count it. Counting restarts on activate, so a fixed
 * endpoint is not staled again at once for failures from before it was fixed (decision 0100).
 */

export const HIGH_VOLUME_ATTEMPTS = 50;
export const MEDIUM_VOLUME_ATTEMPTS = 20;
export const EWMA_STALE_BELOW = 0.95;
export const MEDIUM_VOLUME_STALE_BELOW = 0.8;
export const LOW_VOLUME_CONSECUTIVE_FAILURES = 10;
/** Weight of the newest attempt in the EWMA: about the last 20 attempts matter. */
export const EWMA_ALPHA = 0.1;

export interface BreakerState {
  /** Start of judgement: create, update or activate (ms). */
  since: number;
  attempts: number;
  successes: number;
  consecutiveFailures: number;
  /** null until the first attempt since `since`. */
  ewma: number | null;
}

export function freshBreaker(since: number): BreakerState {
  return { since, attempts: 0, successes: 0, consecutiveFailures: 0, ewma: null };
}

export function recordAttempt(state: BreakerState, success: boolean): void {
  state.attempts += 1;
  if (success) state.successes += 1;
  state.consecutiveFailures = success ? 0 : state.consecutiveFailures + 1;
  const value = success ? 1 : 0;
  // The first attempt starts the average from an optimistic 1, so one early failure is not a verdict.
  state.ewma = EWMA_ALPHA * value + (1 - EWMA_ALPHA) * (state.ewma ?? 1);
}

/** Why the subscription should be staled now, or null when it stays active. */
export function staleReason(state: BreakerState, now: number, graceMs: number): string | null {
  if (now - state.since < graceMs) return null;
  if (state.attempts >= HIGH_VOLUME_ATTEMPTS) {
    return state.ewma !== null && state.ewma < EWMA_STALE_BELOW ? `EWMA success rate ${state.ewma.toFixed(3)} below ${EWMA_STALE_BELOW}` : null;
  }
  if (state.attempts >= MEDIUM_VOLUME_ATTEMPTS) {
    const rate = state.successes / state.attempts;
    return rate < MEDIUM_VOLUME_STALE_BELOW ? `success rate ${Math.round(rate * 100)} % below ${MEDIUM_VOLUME_STALE_BELOW * 100} %` : null;
  }
  return state.consecutiveFailures >= LOW_VOLUME_CONSECUTIVE_FAILURES ? `${state.consecutiveFailures} failed deliveries in a row` : null;
}
