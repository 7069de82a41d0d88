import type { Connection, DirectoryConnection } from '../../contracts/directory-schemas.ts';
import { HttpError } from '../http/http-error.ts';
import type { ConnectionHealthStore } from './connection-health-store.ts';
import { healthOf, type HealthStats } from './health-rules.ts';

/**
 * How long one count of the store serves every request. GET /api/connections is polled by every
 * open console; one count per few seconds keeps its cost independent of how many watch (measured:
 * ≈ 55 ms on SQLite, ≈ 47 ms on PostgreSQL with 40,000 writes in the last day over 20 connections),
 * and is far shorter than any state worth telling (a burst is counted over 15 minutes).
 */
export const HEALTH_CACHE_MS = 5_000;

type Log = { warn(details: object, message: string): void };

/** Adds each connection's health to what the directory read; the counting is the store's. */
export class ConnectionHealthService {
  private known: { stats: Map<string, HealthStats>; at: number } | null = null;
  private inFlight: Promise<Map<string, HealthStats>> | null = null;

  constructor(
    private readonly store: ConnectionHealthStore,
    private readonly log: Log,
    private readonly cacheMs: number = HEALTH_CACHE_MS,
  ) {}

  async withHealth(connections: readonly DirectoryConnection[]): Promise<Connection[]> {
    const stats = await this.currentStats();
    return connections.map((connection) => ({ ...connection, health: healthOf(connection, stats.get(connection.id)) }));
  }

  private async currentStats(): Promise<Map<string, HealthStats>> {
    if (this.known && Date.now() - this.known.at < this.cacheMs) return this.known.stats;
    this.inFlight ??= this.store
      .stats()
      .then((rows) => {
        const stats = new Map(rows.map((row) => [row.connection_id.toLowerCase(), row]));
        this.known = { stats, at: Date.now() };
        return stats;
      })
      .finally(() => {
        this.inFlight = null;
      });
    try {
      return await this.inFlight;
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not count recent writes for connection health');
      // The connections still list with the last health known: a store hiccup must not empty Compose.
      if (this.known) return this.known.stats;
      throw new HttpError(503, 'health_unavailable', "The console's store did not answer, so connection health is unknown. Try again in a moment.");
    }
  }
}
