import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Incident } from '../../contracts/incident-schemas.ts';
import type { StoreDatabase } from '../db/database.ts';
import type { Tables } from '../db/schema.ts';
import { changesOf, firstOf, rowsOf } from '../db/query.ts';

/** The error types that say the provider is degraded (not the fleet's credentials, not the payload). */
export const PROVIDER_ERROR_TYPES = ['tsp', 'network'] as const;

/** An incident as read for the API: its columns (but who armed it, beyond the name), and what it holds. */
type IncidentRow = Omit<Tables['incidents'], 'armed_by_id' | 'armed_by_email'> & { failed_count: number | string; last_failure_at: string | null };

export type AwaitingResend = { id: string; tsp: string; armed_by: { id: string; name: string; email: string | null } | null };

/**
 * Provider incidents and the failed writes each holds (decision 0045). Written by the leader's
 * detector only, apart from arming; every write is safe to repeat or to race: one open incident
 * per TSP (a unique index), an operation in one incident at most (its key), a close or an arm
 * that changes nothing the second time.
 *
 * It reads the operations table (failed writes, successes) in its own queries: the detector asks
 * questions of counts and windows that belong to incidents, not to the operations list.
 */
export class IncidentStore {
  constructor(private readonly store: StoreDatabase) {}

  /** The TSP's open incident, opened now (since its first failure) unless one is open already. */
  async open(tsp: string, since: string): Promise<{ id: string; opened: boolean }> {
    const id = randomUUID();
    const inserted = await changesOf(
      this.store.db,
      sql`INSERT INTO incidents (id, tsp, opened_at, since) VALUES (${id}, ${tsp}, ${this.store.dialect.now()}, ${since})
          ON CONFLICT (tsp) WHERE closed_at IS NULL DO NOTHING`,
    );
    const open = await this.openIdOf(tsp);
    if (!open) throw new Error(`no open incident for ${tsp} right after opening one`);
    return { id: open.id, opened: inserted > 0 && open.id === id };
  }

  async openIdOf(tsp: string): Promise<{ id: string; since: string } | null> {
    return (
      (await firstOf(this.store.db, sql<{ id: string; since: string }>`SELECT id, since FROM incidents WHERE tsp = ${tsp} AND closed_at IS NULL`)) ??
      null
    );
  }

  /** When the TSP's newest closed incident closed: failures before it belonged to that one (or to none). */
  async lastClosedAt(tsp: string): Promise<string | null> {
    const row = await firstOf(this.store.db, sql<{ at: string | null }>`SELECT MAX(closed_at) AS at FROM incidents WHERE tsp = ${tsp}`);
    return row?.at ?? null;
  }

  /**
   * Failed writes of these connections with a provider error, in no incident yet, that failed at
   * or after `after` and within the last `windowMs` (the database's clock).
   */
  async unclaimedFailures(
    connectionIds: readonly string[],
    after: string | null,
    windowMs: number,
  ): Promise<{ count: number; first: string | null }> {
    if (connectionIds.length === 0) return { count: 0, first: null };
    const row = await firstOf(
      this.store.db,
      sql<{ n: number | string; first: string | null }>`SELECT COUNT(*) AS n, MIN(o.updated_at) AS first FROM operations o
        WHERE o.connection_id IN (${sql.join(connectionIds)}) AND o.status = 'failed' AND o.last_error_type IN (${sql.join(PROVIDER_ERROR_TYPES)})
          AND o.updated_at >= ${this.store.dialect.nowPlus(-windowMs)} ${after ? sql`AND o.updated_at > ${after}` : sql``}
          AND NOT EXISTS (SELECT 1 FROM incident_operations i WHERE i.operation_id = o.id)`,
    );
    return { count: Number(row?.n ?? 0), first: row?.first ?? null };
  }

  /**
   * Adds to the incident, while it is still open, every failed write of these connections with a
   * provider error since `since` and in no incident yet. A detector that read the incident as open
   * a moment before another server closed it adds nothing: those failures belong to the next one.
   */
  async claimFailures(incidentId: string, connectionIds: readonly string[], since: string): Promise<number> {
    if (connectionIds.length === 0) return 0;
    return changesOf(
      this.store.db,
      sql`INSERT INTO incident_operations (operation_id, incident_id, connection_id, failed_at)
        SELECT o.id, ${incidentId}, o.connection_id, o.updated_at FROM operations o
        WHERE o.connection_id IN (${sql.join(connectionIds)}) AND o.status = 'failed' AND o.last_error_type IN (${sql.join(PROVIDER_ERROR_TYPES)})
          AND o.updated_at >= ${since}
          AND EXISTS (SELECT 1 FROM incidents open_one WHERE open_one.id = ${incidentId} AND open_one.closed_at IS NULL)
        ON CONFLICT (operation_id) DO NOTHING`,
    );
  }

  /** The newest failure the incident holds, and how many writes of these connections succeeded after it. */
  async recovery(incidentId: string, connectionIds: readonly string[], quietMs: number): Promise<{ successesSince: number; quiet: boolean }> {
    const last = await firstOf(
      this.store.db,
      sql<{
        at: string | null;
        quiet: number | boolean | null;
      }>`SELECT MAX(failed_at) AS at, MAX(failed_at) < ${this.store.dialect.nowPlus(-quietMs)} AS quiet
        FROM incident_operations WHERE incident_id = ${incidentId}`,
    );
    if (!last?.at) return { successesSince: 0, quiet: true };
    if (connectionIds.length === 0) return { successesSince: 0, quiet: Boolean(last.quiet) };
    const row = await firstOf(
      this.store.db,
      sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM operations
        WHERE connection_id IN (${sql.join(connectionIds)}) AND status = 'success' AND updated_at > ${last.at}`,
    );
    return { successesSince: Number(row?.n ?? 0), quiet: Boolean(last.quiet) };
  }

  /** Closes it now; a second close changes nothing. */
  async close(id: string): Promise<boolean> {
    return (
      (await changesOf(this.store.db, sql`UPDATE incidents SET closed_at = ${this.store.dialect.now()} WHERE id = ${id} AND closed_at IS NULL`)) > 0
    );
  }

  async get(id: string): Promise<Incident | null> {
    const rows = await this.read(sql`WHERE i.id = ${id.toLowerCase()}`, 1);
    return rows[0] ?? null;
  }

  /** Newest first; `open` only the open ones (or only the closed ones). */
  list(query: { open?: boolean | undefined; limit: number }): Promise<Incident[]> {
    const where = query.open === undefined ? sql`` : query.open ? sql`WHERE i.closed_at IS NULL` : sql`WHERE i.closed_at IS NOT NULL`;
    return this.read(where, query.limit);
  }

  /** Arms "resend these when the TSP recovers" once; who armed it first stays. */
  async arm(id: string, by: { id: string; name: string; email: string } | null): Promise<boolean> {
    return (
      (await changesOf(
        this.store.db,
        sql`UPDATE incidents SET armed_at = ${this.store.dialect.now()}, armed_by_id = ${by?.id ?? null}, armed_by_name = ${by?.name ?? null}, armed_by_email = ${by?.email ?? null}
            WHERE id = ${id} AND armed_at IS NULL`,
      )) > 0
    );
  }

  /** Closed, armed incidents whose resend the leader has not made yet. */
  async awaitingResend(): Promise<AwaitingResend[]> {
    const rows = await rowsOf(
      this.store.db,
      sql<{ id: string; tsp: string; armed_by_id: string | null; armed_by_name: string | null; armed_by_email: string | null }>`
        SELECT id, tsp, armed_by_id, armed_by_name, armed_by_email FROM incidents
        WHERE closed_at IS NOT NULL AND armed_at IS NOT NULL AND resend_batch_id IS NULL AND resend_note IS NULL ORDER BY closed_at`,
    );
    return rows.map((row) => ({
      id: row.id,
      tsp: row.tsp,
      armed_by: row.armed_by_id ? { id: row.armed_by_id, name: row.armed_by_name ?? '', email: row.armed_by_email } : null,
    }));
  }

  /** The failed writes the incident holds, in a stable order (so a repeated resend request is the same request). */
  async operationIds(id: string): Promise<string[]> {
    const rows = await rowsOf(
      this.store.db,
      sql<{ operation_id: string }>`SELECT operation_id FROM incident_operations WHERE incident_id = ${id} ORDER BY operation_id`,
    );
    return rows.map((row) => row.operation_id);
  }

  /** Records the armed resend's outcome: its batch, or why there was none. The first outcome stays. */
  async settleResend(id: string, outcome: { batchId: string } | { note: string }): Promise<void> {
    await sql`UPDATE incidents SET resend_batch_id = ${'batchId' in outcome ? outcome.batchId : null}, resend_note = ${'note' in outcome ? outcome.note : null}
              WHERE id = ${id} AND resend_batch_id IS NULL AND resend_note IS NULL`.execute(this.store.db);
  }

  private async read(where: ReturnType<typeof sql>, limit: number): Promise<Incident[]> {
    const rows = await rowsOf(
      this.store.db,
      sql<IncidentRow>`SELECT i.id, i.tsp, i.opened_at, i.since, i.closed_at, i.armed_at, i.armed_by_name, i.resend_batch_id, i.resend_note,
          (SELECT COUNT(*) FROM incident_operations m WHERE m.incident_id = i.id) AS failed_count,
          (SELECT MAX(m.failed_at) FROM incident_operations m WHERE m.incident_id = i.id) AS last_failure_at
        FROM incidents i ${where} ORDER BY i.opened_at DESC, i.id DESC LIMIT ${limit}`,
    );
    if (rows.length === 0) return [];
    const connections = await rowsOf(
      this.store.db,
      sql<{ incident_id: string; connection_id: string }>`SELECT DISTINCT incident_id, connection_id FROM incident_operations
        WHERE incident_id IN (${sql.join(rows.map((row) => row.id))}) ORDER BY incident_id, connection_id`,
    );
    return rows.map((row) => ({
      id: row.id,
      tsp: row.tsp,
      opened_at: row.opened_at,
      since: row.since,
      closed_at: row.closed_at,
      failed_count: Number(row.failed_count),
      connection_ids: connections.filter((c) => c.incident_id === row.id).map((c) => c.connection_id),
      last_failure_at: row.last_failure_at,
      armed_resend: row.armed_at
        ? { armed_at: row.armed_at, armed_by_name: row.armed_by_name, resend_batch_id: row.resend_batch_id, note: row.resend_note }
        : null,
    }));
  }
}
