import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { SimSettings } from '../control/sim-settings.ts';
import type { Directory } from '../directory/directory-store.ts';
import { delay } from '../lib/delay.ts';
import { newId } from '../lib/ids.ts';
import { createPrng } from '../lib/prng.ts';
import { TokenBucket } from '../lib/token-bucket.ts';
import type { OperationRecord, OperationStore } from '../operations/operation-store.ts';
import type { ScenarioStore } from '../scenarios/scenario-store.ts';
import { outcomes, type AttemptOutcome } from './attempt-outcomes.ts';
import { tspProfile } from './tsp-profiles.ts';
import { applySuccess } from './write-effects.ts';
import { catenaSideCheck, tspSideCheck } from './write-checks.ts';

/** Attempts in all for `network` / `tsp` failures, and the first backoff (doubling): REFERENCE §10. */
export const MAX_ATTEMPTS = 5;
export const FIRST_BACKOFF_MS = 1000;
/** `slow` scenario: TSP latency × 5. */
const SLOW_FACTOR = 5;

export type OperationEventName = 'resource_operation.created' | 'resource_operation.succeeded' | 'resource_operation.failed';

export interface ProcessorDeps {
  directory: Directory;
  operations: OperationStore;
  scenarios: ScenarioStore;
  settings: SimSettings;
  /** Called with the operation as it is at that moment (async operations only). */
  onEvent: (event: OperationEventName, op: OperationRecord) => void;
  onError: (error: unknown) => void;
  /** Aborted by close(). */
  lifetime: AbortSignal;
}

/**
 * Runs write operations (every resource) against the simulated TSPs: async ones in the background with a per-connection
 * token bucket (rate from the TSP profile) and retries, sync ones as one immediate attempt.
 */
export class OperationProcessor {
  private generation = unlimitedController();
  private buckets = new Map<string, TokenBucket>();
  private readonly inflight = new Set<Promise<void>>();
  // Live outcomes need no reproducibility; a fresh PRNG keeps one code path for ids and headers.
  private readonly prng = createPrng(randomUUID());

  constructor(private readonly deps: ProcessorDeps) {}

  /** Queues an async operation. Call after the 202 body was built: processing mutates the record. */
  startAsync(op: OperationRecord): void {
    const signal = AbortSignal.any([this.deps.lifetime, this.generation.signal]);
    const run = this.runAsync(op, signal)
      .catch((error: unknown) => this.deps.onError(error))
      .finally(() => this.inflight.delete(run));
    this.inflight.add(run);
  }

  /** One attempt, now: no queue, no rate limit, no retries (Catena's sync mode). */
  async runSync(op: OperationRecord): Promise<void> {
    const signal = AbortSignal.any([this.deps.lifetime, this.generation.signal]);
    const outcome = await this.attempt(op, 1, signal, false);
    if (outcome) this.record(op, outcome, true);
  }

  /** Drops all queued and running work (used by POST /_sim/reset: the operations are gone). */
  reset(): void {
    this.generation.abort();
    this.generation = unlimitedController();
    this.buckets = new Map();
  }

  async drain(): Promise<void> {
    await Promise.allSettled(this.inflight);
  }

  private scaled(ms: number): number {
    return ms * this.deps.settings.timeScale;
  }

  private bucketFor(op: OperationRecord): TokenBucket {
    let bucket = this.buckets.get(op.connection_id);
    if (!bucket) {
      const connection = this.deps.directory.connection(op.connection_id);
      const rate = connection ? tspProfile(connection.tsp).ratePerSecond : 1;
      // Waiting for a token is a simulated delay too, so time scale shrinks it: the rate grows by 1/scale.
      bucket = new TokenBucket(
        () => rate / Math.max(this.deps.settings.timeScale, 1e-6),
        () => rate,
      );
      this.buckets.set(op.connection_id, bucket);
    }
    return bucket;
  }

  private async runAsync(op: OperationRecord, signal: AbortSignal): Promise<void> {
    // Let the 202 leave first, even when the operation fails without a TSP call.
    if (!(await delay(0, signal))) return;
    for (let attemptNo = 1; attemptNo <= MAX_ATTEMPTS; attemptNo++) {
      const outcome = await this.attempt(op, attemptNo, signal, true);
      if (!outcome) return;
      const final = outcome.status === 'success' || !outcome.retryable || attemptNo === MAX_ATTEMPTS;
      this.record(op, outcome, final);
      if (final) {
        this.deps.onEvent(op.status === 'success' ? 'resource_operation.succeeded' : 'resource_operation.failed', op);
        return;
      }
      if (!(await delay(this.scaled(FIRST_BACKOFF_MS * 2 ** (attemptNo - 1)), signal))) return;
    }
  }

  /** One attempt; null when aborted (reset or close) before it finished. */
  private async attempt(op: OperationRecord, attemptNo: number, signal: AbortSignal, queued: boolean): Promise<AttemptOutcome | null> {
    const { directory, scenarios } = this.deps;
    const connection = directory.connection(op.connection_id);
    // The directory never changes and POST checked the connection, so this is a bug, not an input.
    if (!connection) throw new Error(`operation ${op.id} names unknown connection ${op.connection_id}`);
    const catenaSide = catenaSideCheck(op, connection, directory);
    if (catenaSide) return catenaSide;
    if (connection.status === 'paused') return outcomes.paused(connection);

    if (queued && !(await delay(this.bucketFor(op).reserve(), signal))) return null;
    const profile = tspProfile(connection.tsp);
    const slow = scenarios.activeFor(connection).has('slow') ? SLOW_FACTOR : 1;
    const jitter = 0.7 + this.prng.next() * 0.6;
    if (!(await delay(this.scaled(profile.latencyMs * jitter * slow), signal))) return null;

    // Read scenarios after the latency: a scenario switched on or off meanwhile applies to this call.
    const active = scenarios.activeFor(connection);
    if (active.has('expired_credentials')) return outcomes.expiredCredentials(profile, this.prng);
    if (active.has('outage')) return outcomes.outage(profile, this.prng);
    if (active.has('flaky_network') && attemptNo <= 2) return outcomes.network(profile, attemptNo);
    return tspSideCheck(op, connection, directory, this.prng) ?? outcomes.success(profile, this.prng);
  }

  private record(op: OperationRecord, outcome: AttemptOutcome, final: boolean): void {
    const now = Math.max(Date.now(), op.updated_at);
    op.logs.push({
      id: newId(),
      created_at: now,
      updated_at: now,
      status: outcome.status,
      error_type: outcome.error_type,
      error_details: outcome.error_details,
      response_status_code: outcome.response_status_code,
      response_headers: outcome.response_headers,
    });
    op.updated_at = now;
    if (outcome.status === 'success') {
      const connection = this.deps.directory.connection(op.connection_id);
      op.status = 'success';
      if (connection) applySuccess(op, connection, this.deps.directory, this.prng, now);
    } else if (final) {
      op.status = 'failed';
    }
  }
}

/** Every operation in flight listens on this signal: hundreds at once is normal, not a leak. */
export function unlimitedController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
