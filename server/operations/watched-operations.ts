import type { FastifyBaseLogger } from 'fastify';
import type { CatenaOperation } from '../catena/catena-schemas.ts';
import { CatenaError } from '../catena/catena-error.ts';
import type { LeaseStore } from '../coordination/lease-store.ts';
import { toOperationRecord } from './operation-record.ts';
import type { OperationsStore } from './operations-store.ts';

/**
 * Catena's webhooks say only that an operation was created, succeeded or failed; the attempts in
 * between show in its logs, which only a read shows. So while somebody watches a pending
 * operation (its drawer, a broadcast's or a batch's page), the server reads it again from
 * Catena's get-one endpoint and stores what it finds, and every viewer's next poll shows it.
 *
 * Upstream calls grow with the number of watched pending operations, never with the number of
 * viewers: each operation is read at most once per `refreshEveryMs` by all servers together (a
 * lease per operation on the database clock), and not at all once it is final or nobody has
 * asked for it for `watchForMs`.
 */
export type WatchedOperationsOptions = {
  catena: {
    getResourceOperation(
      connectionId: string,
      operationId: string,
      options?: { timeoutMs?: number; noRateLimitWait?: boolean },
    ): Promise<CatenaOperation>;
  };
  store: Pick<OperationsStore, 'upsert'>;
  leases: Pick<LeaseStore, 'claimEach'>;
  serverId: string;
  log: FastifyBaseLogger;
  sourceNameOf: (connectionId: string) => string | null;
  /** How often one operation may be read again (default 3 s: a retry after 1 s shows 1–3 s late). */
  refreshEveryMs?: number;
  /** How long a watch lasts without being asked for again (default 10 s: a few missed polls). */
  watchForMs?: number;
  /** How often the server looks for operations due (default 1 s). */
  tickMs?: number;
  /** Reads per tick, all servers' viewers together on this server: Catena's rate limit is shared with sending. */
  maxReadsPerTick?: number;
  /**
   * How long one read may take (default 5 s). A read is only a refresh: given up, it is tried in
   * a later round, and a Catena that stops answering holds up neither the other reads nor the next round for long.
   */
  readTimeoutMs?: number;
};

type Watch = { connectionId: string; watchedUntil: number; readAt: number };

/** Reads in flight at once: enough for a broadcast page, few enough to leave Catena's rate limit to sending. */
const PARALLEL_READS = 4;
const LEASE_PREFIX = 'refresh:';
/**
 * The lease is this much shorter than the interval. A read's lease is taken a few milliseconds
 * after its tick began; a lease of the full interval would still run at the tick one interval
 * later, and every read would slip a whole tick (every 4 s, not 3). This server's own clock keeps
 * its interval; the lease only keeps servers from reading the same operation at once.
 */
const LEASE_SLACK_MS = 250;

export class WatchedOperations {
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private readonly refreshEveryMs: number;
  private readonly watchForMs: number;
  private readonly tickMs: number;
  private readonly maxReadsPerTick: number;
  private readonly readTimeoutMs: number;
  /** Catena said it is rate limiting the console: no reads before this (ms since the epoch), so sending keeps its share. */
  private pausedUntil = 0;
  /** Reads made from Catena since start: what a benchmark or a test compares against viewers. */
  reads = 0;

  constructor(private readonly options: WatchedOperationsOptions) {
    this.refreshEveryMs = options.refreshEveryMs ?? 3_000;
    this.watchForMs = options.watchForMs ?? 10_000;
    this.tickMs = options.tickMs ?? 1_000;
    this.maxReadsPerTick = options.maxReadsPerTick ?? 20;
    this.readTimeoutMs = options.readTimeoutMs ?? 5_000;
  }

  /** Somebody is looking at these operations now; the pending ones are kept fresh for a while. */
  watch(operations: Iterable<{ id: string; connection_id: string; status: string }>): void {
    const until = Date.now() + this.watchForMs;
    for (const op of operations) {
      if (op.status !== 'pending') {
        this.watches.delete(op.id);
        continue;
      }
      const known = this.watches.get(op.id);
      if (known) known.watchedUntil = until;
      else this.watches.set(op.id, { connectionId: op.connection_id, watchedUntil: until, readAt: 0 });
    }
  }

  /** How many pending operations are watched now. */
  get watched(): number {
    return this.watches.size;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** One round: forgets watches nobody renewed, reads the operations due. Concurrent calls share it. */
  tick(): Promise<void> {
    this.ticking ??= this.readDue().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async readDue(): Promise<void> {
    const now = Date.now();
    const due: string[] = [];
    for (const [id, watch] of this.watches) {
      if (watch.watchedUntil < now) this.watches.delete(id);
      else if (watch.readAt + this.refreshEveryMs <= now) due.push(id);
    }
    if (due.length === 0 || now < this.pausedUntil) return;
    // The longest unread first, so a page with more pending operations than one tick reads goes round them all.
    due.sort((a, b) => (this.watches.get(a)?.readAt ?? 0) - (this.watches.get(b)?.readAt ?? 0));
    const batch = due.slice(0, this.maxReadsPerTick);
    let claimed: Set<string>;
    try {
      claimed = await this.options.leases.claimEach(
        batch.map((id) => LEASE_PREFIX + id),
        this.options.serverId,
        Math.max(this.refreshEveryMs - LEASE_SLACK_MS, this.refreshEveryMs / 2),
      );
    } catch (error) {
      this.options.log.warn({ err: error instanceof Error ? error.message : error }, 'could not claim watched operations to read; trying again');
      return;
    }
    for (const id of batch) {
      // Read by another server just now (or by this one): its answer is in the store for every viewer.
      const watch = this.watches.get(id);
      if (watch) watch.readAt = now;
    }
    const toRead = batch.filter((id) => claimed.has(LEASE_PREFIX + id));
    // PARALLEL_READS workers take the next id as each read ends, so one slow read holds up one worker, not a group.
    const queue = [...toRead];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && Date.now() >= this.pausedUntil; id = queue.shift()) await this.read(id);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, toRead.length) }, worker));
  }

  private async read(id: string): Promise<void> {
    const watch = this.watches.get(id);
    if (!watch) return;
    const { catena, store, log, sourceNameOf } = this.options;
    try {
      this.reads += 1;
      const op = await withDeadline(
        // No waiting out a 429 here: the reads stop instead (below), and the dispatcher's sends get Catena's limit.
        catena.getResourceOperation(watch.connectionId, id, { timeoutMs: this.readTimeoutMs, noRateLimitWait: true }),
        this.readTimeoutMs,
      );
      await store.upsert(toOperationRecord(op, sourceNameOf(op.connection_id)), 'reconciler');
      if (op.status !== 'pending') this.watches.delete(id);
    } catch (error) {
      // Catena does not know it (or not under this connection): nothing to wait for.
      if (error instanceof CatenaError && error.status === 404) this.watches.delete(id);
      if (error instanceof CatenaError && error.status === 429)
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + (error.retryAfterSeconds ?? 1) * 1000);
      log.debug({ operation_id: id, err: error instanceof Error ? error.message : error }, 'could not read a watched operation from Catena');
    }
  }
}

/** The read's answer, or an error once `ms` have passed (the client's own timeout aborts the request itself). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
