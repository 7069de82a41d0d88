import type { FastifyBaseLogger } from 'fastify';
import { CatenaError } from '../catena/catena-error.ts';
import { HttpError } from '../http/http-error.ts';
import type { MessageSender } from '../messages/message-sender.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import type { Reconciler } from '../reconciler/reconciler.ts';
import type { BroadcastStore, QueuedRecipient } from './broadcast-store.ts';

type Deps = {
  store: BroadcastStore;
  operations: OperationsStore;
  sender: MessageSender;
  reconciler: Reconciler;
  log: FastifyBaseLogger;
  sleep?: (ms: number) => Promise<void>;
};

/** A request still unanswered after this long is in doubt: maybe Catena has it, maybe not. */
const IN_DOUBT_AFTER_MS = 30_000;
/** After Catena could not be reached, wait this long before the next recipient. */
const UNREACHABLE_BACKOFF_MS = 5_000;
/** How far before a request left its operation may appear to have been created (clock skew). */
const CLOCK_SKEW_MS = 60_000;

/**
 * Hands broadcast recipients to Catena one message at a time, in order, as fast as Catena lets it:
 * on 429 it waits the `retry_after_seconds` Catena asked for, then goes on with the same recipient.
 *
 * Exactly once: a recipient is marked `submitting` before its request leaves and `submitted` with
 * the operation id once Catena answers. A recipient left `submitting` (the process died, or the
 * answer was lost) is in doubt: the dispatcher first brings the store up to date from Catena's own
 * list (the reconciler) and looks for the operation; only if there is none is it sent again.
 */
export class BroadcastDispatcher {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: Deps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Finishes the request on its way, then stops; what is left is sent after the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** A new broadcast is queued: start on it now rather than at the next idle tick. */
  notify(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    // At start nothing is on its way, so every `submitting` recipient is in doubt.
    await this.resolveInDoubt(0);
    while (!this.stopped) {
      const next = this.deps.store.claimNext();
      if (!next) {
        await this.idle(1000);
        if (this.deps.store.hasWork()) await this.resolveInDoubt(IN_DOUBT_AFTER_MS);
        continue;
      }
      await this.submit(next);
    }
  }

  private async submit(recipient: QueuedRecipient): Promise<void> {
    const { store, sender, log } = this.deps;
    try {
      const { operation } = await sender.send(
        {
          connection_id: recipient.connection_id,
          sender_id: recipient.sender_id,
          recipient_id: recipient.recipient_id,
          message_text: recipient.message_text,
          ...(recipient.priority === 'low' || recipient.priority === 'medium' || recipient.priority === 'high' ? { priority: recipient.priority } : {}),
        },
        {
          idempotencyKey: null,
          scope: 'broadcast',
          origin: { accountId: recipient.created_by_id, accountName: recipient.created_by_name, broadcastId: recipient.broadcast_id },
        },
      );
      store.markSubmitted(recipient, operation.id);
    } catch (error) {
      if (error instanceof CatenaError && error.status === 429) {
        // Not taken: wait as long as Catena asked, then the same recipient goes again.
        store.requeue(recipient);
        await this.sleep(Math.max(1, error.retryAfterSeconds ?? 1) * 1000);
      } else if (error instanceof HttpError && error.statusCode < 500) {
        store.markRefused(recipient, error.message);
      } else if (error instanceof CatenaError && error.kind === 'http' && error.status !== null && error.status < 500) {
        store.markRefused(recipient, error.message);
      } else {
        // Unreachable, a timeout or a 5xx: Catena may or may not have it. Left in doubt, resolved later.
        log.warn({ broadcast_id: recipient.broadcast_id, err: error instanceof Error ? error.message : error }, 'broadcast recipient in doubt');
        await this.idle(UNREACHABLE_BACKOFF_MS);
      }
    }
  }

  /** Settles recipients whose request left more than `olderThanMs` ago without an answer. */
  private async resolveInDoubt(olderThanMs: number): Promise<void> {
    const { store, reconciler, log, operations } = this.deps;
    const inDoubt = store.inDoubt(new Date(Date.now() - olderThanMs).toISOString());
    if (inDoubt.length === 0) return;
    try {
      await reconciler.runOnce();
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : error, in_doubt: inDoubt.length }, 'cannot settle broadcast recipients yet: Catena unreachable');
      return;
    }
    for (const recipient of inDoubt) {
      const since = new Date(Date.parse(recipient.submitting_since) - CLOCK_SKEW_MS).toISOString();
      const operationId = store.findSentOperation(recipient, since);
      if (operationId) {
        store.markSubmitted(recipient, operationId);
        operations.recordOrigin(operationId, { accountId: recipient.created_by_id, accountName: recipient.created_by_name, broadcastId: recipient.broadcast_id });
      }
      else store.requeue(recipient);
    }
    log.info({ in_doubt: inDoubt.length }, 'settled broadcast recipients in doubt');
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
