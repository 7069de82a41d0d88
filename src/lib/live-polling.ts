/**
 * The next poll of a live view, as a `refetchInterval` (house style #5): the chosen interval
 * while answers arrive; while they fail, wait about as long as the server has been unreachable
 * (so roughly doubling), capped at a minute, and back to normal with the first good answer.
 * Tab visibility is React Query's job (`refetchIntervalInBackground: false`).
 */
export const MAX_POLL_BACKOFF_MS = 60_000;

type PollState = { dataUpdatedAt: number; errorUpdatedAt: number; errorUpdateCount: number };

export function pollInterval(baseMs: number, state: PollState): number {
  const failing = state.errorUpdatedAt > state.dataUpdatedAt;
  if (!failing) return baseMs;
  const downForMs =
    state.dataUpdatedAt > 0 ? state.errorUpdatedAt - state.dataUpdatedAt : baseMs * 2 ** Math.min(Math.max(state.errorUpdateCount - 1, 0), 4);
  return Math.min(Math.max(baseMs, downForMs), MAX_POLL_BACKOFF_MS);
}

/** What a live view polls with: an interval, or `false` while the reader paused it. */
export type LiveMode = { intervalMs: number | false };
