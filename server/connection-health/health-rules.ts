import type { ConnectionHealth, DirectoryConnection } from '../../contracts/directory-schemas.ts';

/**
 * When a connection reads as failing, degraded or paused (docs/decisions/0044). Every number is
 * here, named, with why it is what it is; the store only counts (connection-health-store.ts).
 */

/**
 * How far back a run of auth failures is looked for: the reconciler's first window (24 h), so a
 * console just started judges from the same history as one that has run for days. A connection
 * with no write in a day has nothing to say about now, and reads as healthy.
 */
export const HEALTH_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/**
 * Auth failures in a row (the newest finished writes) before a connection is failing. One alone
 * can be a token rotated at the wrong moment; three with no success between them means the TSP no
 * longer takes the fleet's credentials. `auth` is the one error that never heals by retrying: only
 * the fleet re-authorising ends it, so it is the one that earns a warning before each send.
 */
export const FAILING_AFTER_AUTH_FAILURES = 3;

/** The window a burst of `network`/`tsp` failures is counted over: recent enough to be about now. */
export const DEGRADED_WINDOW_MS = 15 * 60 * 1000;

/**
 * Failed `network`/`tsp` attempts within the window that make a connection degraded, whatever
 * the share: three messages under a flaky network already make six (two retries each).
 */
export const DEGRADED_FAILED_ATTEMPTS = 5;

/**
 * Or: this share of the window's writes met `network`/`tsp` errors (failed, retrying, or got
 * through after retries), counted once at least `DEGRADED_MIN_TROUBLED_WRITES` did, so one
 * unlucky write of two on a quiet connection is not a burst.
 */
export const DEGRADED_TROUBLED_SHARE = 0.3;
export const DEGRADED_MIN_TROUBLED_WRITES = 2;

/**
 * Clean successes (first attempt, no error) created after the newest troubled write that end a
 * burst before it ages out of the window: the TSP has recovered once new writes go straight through.
 */
export const RECOVERED_AFTER_CLEAN_WRITES = 3;

/** What the store counted for one connection (see ConnectionHealthStore.stats). */
export type HealthStats = {
  connection_id: string;
  /** The newest finished writes that failed with `auth` since the newest finished write that did not (validation failures aside). */
  auth_failures_in_a_row: number;
  /** When the first of those was created. */
  auth_failures_since: string | null;
  /** In the degraded window: writes created, failed, troubled by `network`/`tsp`, and their failed attempts. */
  writes: number;
  failed: number;
  troubled: number;
  failed_attempts: number;
  /** When the first troubled write of the window was created. */
  troubled_since: string | null;
  /** Clean successes created after the newest troubled write of the window. */
  clean_after_trouble: number;
};

export const NO_WRITES: Omit<HealthStats, 'connection_id'> = {
  auth_failures_in_a_row: 0,
  auth_failures_since: null,
  writes: 0,
  failed: 0,
  troubled: 0,
  failed_attempts: 0,
  troubled_since: null,
  clean_after_trouble: 0,
};

const WINDOW_MINUTES = DEGRADED_WINDOW_MS / 60_000;

/**
 * One connection's health. Paused (Catena's own word) comes first: nothing is written through it,
 * whatever its history says. Then failing, which needs the fleet; then degraded, which Catena's
 * retries may ride out and so is told, not warned about.
 */
export function healthOf(
  connection: Pick<DirectoryConnection, 'can_send' | 'status' | 'inactive_reason'>,
  stats: Omit<HealthStats, 'connection_id'> = NO_WRITES,
): ConnectionHealth {
  const common = {
    failed_in_a_row: stats.auth_failures_in_a_row,
    recent: { window_minutes: WINDOW_MINUTES, writes: stats.writes, failed: stats.failed, failed_attempts: stats.failed_attempts },
  };
  if (!connection.can_send) {
    return {
      state: 'paused',
      reason: connection.inactive_reason ?? `Catena reports the connection as ${connection.status}.`,
      since: null,
      ...common,
    };
  }
  if (stats.auth_failures_in_a_row >= FAILING_AFTER_AUTH_FAILURES) {
    return {
      state: 'failing',
      reason: `Needs re-authorisation by the fleet: the TSP refused the connection's credentials on the last ${stats.auth_failures_in_a_row} writes.`,
      since: stats.auth_failures_since,
      ...common,
    };
  }
  const burst =
    stats.failed_attempts >= DEGRADED_FAILED_ATTEMPTS ||
    (stats.troubled >= DEGRADED_MIN_TROUBLED_WRITES && stats.troubled >= DEGRADED_TROUBLED_SHARE * stats.writes);
  if (burst && stats.clean_after_trouble < RECOVERED_AFTER_CLEAN_WRITES) {
    return {
      state: 'degraded',
      reason: `The TSP or the network is dropping writes: ${stats.troubled} of the last ${stats.writes} ${stats.writes === 1 ? 'write' : 'writes'} in ${WINDOW_MINUTES} minutes met network or TSP errors (${stats.failed_attempts} failed ${stats.failed_attempts === 1 ? 'attempt' : 'attempts'}). Catena retries them; delivery may be late.`,
      since: stats.troubled_since,
      ...common,
    };
  }
  return { state: 'healthy', reason: null, since: null, ...common };
}
