import type { FastifyBaseLogger } from 'fastify';
import type { MessageSender } from './message-sender.ts';
import type { SendSettler } from './send-settler.ts';
import type { Send, SendStore } from './send-store.ts';

type Deps = {
  sends: SendStore;
  sender: MessageSender;
  settler: SendSettler;
  /** Where a 429 pauses every server's dispatcher, not only this one's. */
  pause: { isPaused(): Promise<boolean>; pauseFor(ms: number): Promise<void> };
  /** Only the leader settles sends in doubt: settling reads Catena's list, which one server does at a time. */
  isLeader: () => boolean;
  log: FastifyBaseLogger;
  sleep?: (ms: number) => Promise<void>;
};

/** After Catena could not be reached, wait this long before the next item. */
const UNREACHABLE_BACKOFF_MS = 5_000;
/** How often sends in doubt are looked at (settling itself waits for each one's landing window). */
const SETTLE_EVERY_MS = 1_000;

/**
 * The one dispatcher: hands queued batch items (broadcast recipients and bulk resends) to Catena
 * one message at a time, in order, as fast as Catena lets it — on 429 it waits the
 * `retry_after_seconds` Catena asked for, then goes on with the same item — and settles every send
 * in doubt, single sends included, once its request can no longer land.
 *
 * Every server runs one; each item is claimed in the store (a row one server takes), so of several
 * dispatchers exactly one sends it, and a 429 pauses all of them: Catena's limit is the partner's,
 * shared by every server.
 *
 * Exactly once: an item is marked `submitting` before its request leaves and `submitted` with the
 * operation id once Catena answers. An item whose answer never came stays `submitting`, in doubt,
 * until the settler has looked for it in Catena's own list; only if it is not there is it queued again.
 */
export class SendDispatcher {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastSettle = 0;

  constructor(private readonly deps: Deps) {}

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

  /** Whether Catena's 429 holds every server's sends back now; false when the shared store cannot say. */
  async isWaitingForCatena(): Promise<boolean> {
    return this.deps.pause.isPaused().catch(() => false);
  }

  /** New work is queued: start on it now rather than at the next idle tick. */
  notify(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.settleDue();
      const next = await this.claimNext();
      if (!next) {
        await this.idle(SETTLE_EVERY_MS);
        continue;
      }
      try {
        await this.submit(next);
      } catch (error) {
        // The store failed while recording the outcome: the item stays `submitting`, in doubt, and is settled later.
        this.deps.log.error(
          { send_id: next.id, err: error instanceof Error ? error.message : error },
          "could not record a send's outcome; it will be settled",
        );
        await this.idle(UNREACHABLE_BACKOFF_MS);
      }
    }
  }

  /** The next item, unless Catena asked every server to wait; null also when the store cannot be read now. */
  private async claimNext(): Promise<Send | null> {
    try {
      if (await this.deps.pause.isPaused()) return null;
      return await this.deps.sends.claimNext();
    } catch (error) {
      this.deps.log.warn({ err: error instanceof Error ? error.message : error }, 'could not read the send queue; will retry');
      return null;
    }
  }

  private async settleDue(): Promise<void> {
    if (!this.deps.isLeader() || Date.now() - this.lastSettle < SETTLE_EVERY_MS) return;
    this.lastSettle = Date.now();
    try {
      await this.deps.settler.settleDue();
    } catch (error) {
      this.deps.log.error({ err: error instanceof Error ? error.message : error }, 'settling sends in doubt failed; will retry');
    }
  }

  private async submit(item: Send): Promise<void> {
    const outcome = await this.deps.sender.deliver(item);
    if (outcome.kind === 'rate_limited') {
      // Not taken (the sender put it back in its place): every server waits as long as Catena asked.
      const waitMs = Math.max(1, outcome.retryAfterSeconds) * 1000;
      await this.deps.pause
        .pauseFor(waitMs)
        .catch((error: unknown) =>
          this.deps.log.warn(
            { err: error instanceof Error ? error.message : error },
            'could not tell the other servers to wait for Catena; they may be refused too',
          ),
        );
      // Woken early by a stop (so a SIGTERM does not wait out a long retry-after) or by new work,
      // which the shared pause still holds back until Catena's wait is over.
      await (this.deps.sleep ? this.deps.sleep(waitMs) : this.idle(waitMs));
    } else if (outcome.kind === 'in_doubt') {
      await this.idle(UNREACHABLE_BACKOFF_MS);
    }
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
