import type { FastifyBaseLogger } from 'fastify';
import type { OperationsStore } from '../operations/operations-store.ts';
import type { Reconciler } from '../reconciler/reconciler.ts';
import type { Send, SendStore } from './send-store.ts';

/** How far before a request left its operation may appear to have been created (clock skew). */
const CLOCK_SKEW_MS = 60_000;

type Deps = {
  sends: SendStore;
  operations: Pick<OperationsStore, 'getMany'>;
  reconciler: Reconciler;
  log: FastifyBaseLogger;
  /**
   * How long after a request left it may still land at Catena (created late, after our timeout):
   * longer than a send's deadline. Only after this is a send in doubt settled.
   */
  landingWindowMs: number;
  /**
   * Whether this server still leads: settling takes a reconciler pass, and a server that lost the
   * lead meanwhile leaves the rest to the new leader. (Each change also applies only to the send
   * as it was read, so even a late one undoes nothing: SendStore.markSubmitted.)
   */
  isLeader?: () => boolean;
};

/**
 * Settles sends in doubt — single sends, broadcast recipients and bulk-resend items alike — against
 * Catena's own list, once their request can no longer land: the reconciler brings the store up to
 * date, then the operation that writes what the send asked (for a message: the same connection,
 * recipient and text) created after the request left is the send's. Found: it was sent. Not found: it never arrived, so it may go (again).
 */
export class SendSettler {
  constructor(private readonly deps: Deps) {}

  settlesAt(send: Send): string {
    const left = Date.parse(send.submitting_since ?? send.created_at);
    return new Date(left + this.deps.landingWindowMs).toISOString();
  }

  /** Settles every send whose request can no longer land. Leaves them all in doubt when Catena cannot be read. */
  async settleDue(now = Date.now()): Promise<number> {
    const { sends, reconciler, log } = this.deps;
    const due = await sends.inDoubt(this.deps.landingWindowMs);
    if (due.length === 0) return 0;
    // A pass that began before now may have read Catena's list before these requests could land:
    // only one begun after their landing windows closed tells whether they did.
    let pass;
    try {
      pass = await reconciler.runOnce({ startedAfter: now });
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : error, in_doubt: due.length }, 'cannot settle sends in doubt yet: Catena unreachable');
      return 0;
    }
    if (!pass.complete) {
      log.warn({ in_doubt: due.length }, "cannot settle sends in doubt yet: Catena's list was not read to its end");
      return 0;
    }
    let sent = 0;
    let settled = 0;
    for (const send of due) {
      if (this.deps.isLeader && !this.deps.isLeader()) {
        log.warn({ left: due.length - settled }, 'stopped settling sends in doubt: this server no longer leads');
        break;
      }
      const since = new Date(Date.parse(send.submitting_since ?? send.created_at) - CLOCK_SKEW_MS).toISOString();
      const landed = await sends.findLanded(send, since, this.deps.operations);
      const applied = landed ? await sends.markSubmitted(send, landed) : send.batch_id ? await sends.requeue(send) : await sends.markNotSent(send);
      if (!applied) continue;
      settled += 1;
      if (landed) sent += 1;
    }
    log.info({ settled, found_at_catena: sent }, 'settled sends in doubt');
    return settled;
  }
}
