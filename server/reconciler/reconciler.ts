import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { CatenaClient } from '../catena/catena-client.ts';
import type { SettingsStore } from '../db/settings-store.ts';
import type { OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { toOperationRecord } from '../operations/operation-record.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import { describeIssue, type RefusedOperations } from '../operations/refused-operations.ts';

type Deps = {
  catena: CatenaClient;
  store: OperationsStore;
  settings: SettingsStore;
  refused: RefusedOperations;
  log: FastifyBaseLogger;
  intervalMs: number;
  sourceNameOf: (connectionId: string) => string | null;
  /** Whether a store error means the operation can never be stored (rather than the store failing now). */
  isPermanentWriteError: (error: unknown) => boolean;
};

const PROGRESS_KEY = 'reconciler.progress';

/** What one pass did: whether it read Catena's list to the end of its window. */
export type ReconcilePass = { complete: boolean };
const progressSchema = z.object({ covered_from_start_of: z.string() });

/** Each run re-reads this much before the previous run began, so operations that finished since are seen again. */
const OVERLAP_MS = 15 * 60 * 1000;
/** Catena refuses windows over 45 days. */
const MAX_WINDOW_MS = 44 * 24 * 60 * 60 * 1000;
/** With no history, start where Catena's own default does: one day back. */
const FIRST_WINDOW_MS = 24 * 60 * 60 * 1000;
/** A pending operation not heard of for this long is asked about directly. */
const STALE_PENDING_MS = 2 * 60 * 1000;
const STALE_PENDING_PER_RUN = 50;
/** Past this, a pending operation is left alone: Catena has long forgotten it or it is not ours to chase. */
const STALE_PENDING_HORIZON_MS = 48 * 60 * 60 * 1000;
const MAX_PAGES_PER_RUN = 200;

/**
 * Pages through Catena's resource-operation list on a timer and stores what it finds, so a
 * missed webhook, or an operation another system created, still ends up right in the store.
 * The list filters on creation time, so pending operations older than the window are also
 * fetched one by one.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private running: { promise: Promise<ReconcilePass>; startedAt: number } | null = null;
  private stopped = true;

  constructor(private readonly deps: Deps) {}

  start(firstRunInMs = 1000): void {
    this.stopped = false;
    this.schedule(firstRunInMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.promise.catch(() => undefined);
  }

  /**
   * One pass; concurrent calls share it. Resolves when done (`complete` false when Catena's list
   * had more pages than one pass reads), rejects if Catena could not be read. With `startedAfter`,
   * a pass that began earlier is not shared: its answer may predate what the caller must see (a
   * send's request that could still land until then), so a new pass follows it.
   */
  runOnce(options: { startedAfter?: number } = {}): Promise<ReconcilePass> {
    const current = this.running;
    if (current && (options.startedAfter === undefined || current.startedAt >= options.startedAfter)) return current.promise;
    if (current) return current.promise.catch(() => undefined).then(() => this.runOnce(options));
    const startedAt = Date.now();
    const promise: Promise<ReconcilePass> = this.reconcile(startedAt).finally(() => {
      if (this.running?.promise === promise) this.running = null;
    });
    this.running = { promise, startedAt };
    return promise;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) => this.deps.log.warn({ err: error instanceof Error ? error.message : error }, 'reconciler run failed; will retry'))
        .finally(() => this.schedule(this.deps.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  /**
   * A page in one transaction; if the store refuses it, one by one, leaving out (and counting) the
   * operations it can never hold: one such operation must not stall every pass over its window.
   * A store that is failing (not refusing) fails the pass, which is tried again.
   */
  private async storePage(records: readonly OperationWithLogs[]): Promise<number> {
    const { store, log, isPermanentWriteError } = this.deps;
    try {
      return await store.upsertMany(records, 'reconciler');
    } catch (error) {
      if (!isPermanentWriteError(error)) throw error;
    }
    let changed = 0;
    for (const record of records) {
      try {
        if (await store.upsert(record, 'reconciler')) changed += 1;
      } catch (error) {
        if (!isPermanentWriteError(error)) throw error;
        const reason = `the store refused it (${(error as { code?: string }).code ?? 'error'})`;
        await this.deps.refused.record('reconciler', reason);
        log.warn({ operation_id: record.id, reason }, "left out an operation from Catena's list that the store can never hold");
      }
    }
    return changed;
  }

  private async reconcile(startedAt: number): Promise<ReconcilePass> {
    const { catena, store, settings, log } = this.deps;
    const previous = await settings.get(PROGRESS_KEY, progressSchema);
    const from = previous
      ? Math.max(Date.parse(previous.covered_from_start_of) - OVERLAP_MS, startedAt - MAX_WINDOW_MS)
      : startedAt - FIRST_WINDOW_MS;
    // A minute ahead covers a Catena clock slightly ahead of ours.
    const to = startedAt + 60_000;

    let cursor: string | null = null;
    let seen = 0;
    let changed = 0;
    let complete = false;
    for (let page = 0; page < MAX_PAGES_PER_RUN; page += 1) {
      const result = await catena.listResourceOperations({
        from_datetime: new Date(from).toISOString(),
        to_datetime: new Date(to).toISOString(),
        cursor,
      });
      seen += result.items.length;
      const [firstInvalid] = result.invalid;
      if (firstInvalid) {
        const reason = describeIssue(firstInvalid, 'items');
        await this.deps.refused.record('reconciler', reason, result.invalid.length);
        log.warn({ refused: result.invalid.length, reason }, "left out operations from Catena's list that can never be stored");
      }
      changed += await this.storePage(result.items.map((op) => toOperationRecord(op, this.deps.sourceNameOf(op.connection_id))));
      cursor = result.nextCursor;
      if (!cursor || result.items.length + result.invalid.length === 0) {
        complete = true;
        break;
      }
    }

    for (const stale of await store.stalePending(
      new Date(startedAt - STALE_PENDING_HORIZON_MS).toISOString(),
      new Date(startedAt - STALE_PENDING_MS).toISOString(),
      STALE_PENDING_PER_RUN,
    )) {
      try {
        const op = await catena.getResourceOperation(stale.connection_id, stale.id);
        if (await store.upsert(toOperationRecord(op, this.deps.sourceNameOf(op.connection_id)), 'reconciler')) changed += 1;
      } catch (error) {
        log.debug({ operation_id: stale.id, err: error instanceof Error ? error.message : error }, 'could not refresh pending operation');
      }
    }

    // Only a window read to its end counts as covered: otherwise the next pass starts where this one did.
    if (complete) await settings.set(PROGRESS_KEY, { covered_from_start_of: new Date(startedAt).toISOString() });
    log.info({ seen, changed, complete, window_from: new Date(from).toISOString() }, 'reconciled operations with Catena');
    return { complete };
  }
}
