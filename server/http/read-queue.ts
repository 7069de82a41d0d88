/**
 * Runs the store's heavier reads (lists, counts, the timeline) one at a time, one per turn of the
 * event loop, so they can never crowd out the rest (decision 0013). On SQLite a read is a few
 * milliseconds of work on this process's one connection; twenty viewers' reads arriving together
 * would otherwise run back to back, and a webhook — whose answer Catena waits for — would wait behind all of
 * them. Queued here, each turn does at most one read and then everything else that is ready:
 * reads take turns with each other, and acknowledgements stay quick however many people read.
 */
export class ReadQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private pumping = false;

  run<T>(read: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(async () => {
        try {
          resolve(await read());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      if (!this.pumping) {
        this.pumping = true;
        setImmediate(() => void this.pump());
      }
    });
  }

  /** How many reads wait for their turn (for the curious: a health check, a benchmark). */
  get length(): number {
    return this.waiting.length;
  }

  private async pump(): Promise<void> {
    const next = this.waiting.shift();
    if (!next) {
      this.pumping = false;
      return;
    }
    await next();
    // The next read in the next turn: what arrived meanwhile (a webhook, a request's body) goes first.
    setImmediate(() => void this.pump());
  }
}
