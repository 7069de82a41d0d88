import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { rowsOf } from '../db/query.ts';
import { DEGRADED_WINDOW_MS, HEALTH_LOOKBACK_MS, type HealthStats } from './health-rules.ts';

type StatsRow = { [K in keyof HealthStats]: HealthStats[K] extends number ? number | string | null : HealthStats[K] };

/**
 * What the operations table says of each connection's recent writes, counted by the database in
 * one statement for all connections (no query per connection). It is made of aggregates only, no
 * sort and no window function: a run of auth failures is "the auth failures newer than the newest
 * finished write that was not one", which is a MAX then a conditional COUNT. Both passes over the
 * last 24 h read the covering index `operations_counts_by_time` (created_at, status,
 * last_error_type, connection_id, …) alone; only the troubled rows of the last 15 minutes are read
 * for their attempt counts.
 */
export class ConnectionHealthStore {
  constructor(private readonly store: StoreDatabase) {}

  /** Counts for every connection with a write in the lookback window; a connection absent had none. */
  async stats(now: number = Date.now()): Promise<HealthStats[]> {
    const lookbackFrom = new Date(now - HEALTH_LOOKBACK_MS).toISOString();
    const burstFrom = new Date(now - DEGRADED_WINDOW_MS).toISOString();
    // A validation failure is about the request (a text too long), not the connection: it neither
    // breaks a run of auth failures nor joins it. Pending writes have no outcome yet: same.
    const authFailure = sql`r.status = 'failed' AND r.last_error_type = 'auth'`;
    const troubled = sql`r.last_error_type IN ('network', 'tsp')`;
    const inBurst = sql`r.created_at >= ${burstFrom}`;
    const rows = await rowsOf(
      this.store.db,
      sql<StatsRow>`
        WITH recent AS (
          SELECT connection_id, status, last_error_type, created_at FROM operations WHERE created_at >= ${lookbackFrom}
        ),
        marks AS (
          SELECT r.connection_id,
            MAX(CASE WHEN r.status = 'success' OR (r.status = 'failed' AND COALESCE(r.last_error_type, '') NOT IN ('auth', 'validation'))
                     THEN r.created_at END) AS last_not_auth_at,
            MAX(CASE WHEN ${inBurst} AND ${troubled} THEN r.created_at END) AS last_troubled_at
          FROM recent r GROUP BY r.connection_id
        ),
        counts AS (
          SELECT r.connection_id,
            SUM(CASE WHEN ${authFailure} AND (m.last_not_auth_at IS NULL OR r.created_at > m.last_not_auth_at) THEN 1 ELSE 0 END) AS auth_failures_in_a_row,
            MIN(CASE WHEN ${authFailure} AND (m.last_not_auth_at IS NULL OR r.created_at > m.last_not_auth_at) THEN r.created_at END) AS auth_failures_since,
            SUM(CASE WHEN ${inBurst} THEN 1 ELSE 0 END) AS writes,
            SUM(CASE WHEN ${inBurst} AND r.status = 'failed' THEN 1 ELSE 0 END) AS failed,
            SUM(CASE WHEN ${inBurst} AND ${troubled} THEN 1 ELSE 0 END) AS troubled,
            MIN(CASE WHEN ${inBurst} AND ${troubled} THEN r.created_at END) AS troubled_since,
            SUM(CASE WHEN r.status = 'success' AND r.last_error_type IS NULL AND r.created_at > m.last_troubled_at THEN 1 ELSE 0 END) AS clean_after_trouble
          FROM recent r JOIN marks m ON m.connection_id = r.connection_id
          GROUP BY r.connection_id
        ),
        attempts AS (
          -- Every attempt of a failed or still retrying write failed; a write that got through failed all but its last.
          SELECT r.connection_id, SUM(r.attempt_count - CASE WHEN r.status = 'success' THEN 1 ELSE 0 END) AS failed_attempts
          FROM operations r WHERE ${inBurst} AND ${troubled} GROUP BY r.connection_id
        )
        SELECT c.connection_id, c.auth_failures_in_a_row, c.auth_failures_since, c.writes, c.failed, c.troubled, c.troubled_since,
          c.clean_after_trouble, COALESCE(a.failed_attempts, 0) AS failed_attempts
        FROM counts c LEFT JOIN attempts a ON a.connection_id = c.connection_id`,
    );
    return rows.map((row) => ({
      connection_id: row.connection_id,
      auth_failures_in_a_row: Number(row.auth_failures_in_a_row ?? 0),
      auth_failures_since: row.auth_failures_since,
      writes: Number(row.writes ?? 0),
      failed: Number(row.failed ?? 0),
      troubled: Number(row.troubled ?? 0),
      failed_attempts: Math.max(0, Number(row.failed_attempts ?? 0)),
      troubled_since: row.troubled_since,
      clean_after_trouble: Number(row.clean_after_trouble ?? 0),
    }));
  }
}
