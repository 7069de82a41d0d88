/**
 * Runs the store's heavier reads (lists, counts, the timeline) a few at a time, starting them one
 * turn of the event loop apart, so they can never crowd out the rest (decision 0013). On SQLite a
 * read is a few milliseconds of work on this process's one connection: one at a time, or twenty
 * viewers' reads arriving together would run back to back and a webhook — whose answer Catena
 * waits for — would wait behind all of them. On PostgreSQL a read waits on the database, not on
 * this process, so several run at once (`concurrency`), leaving pool connections for webhooks,
 * leases and sends. Reads take turns with each other, and acknowledgements stay quick however
 * many people read.
 */
export class ReadQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private active = 0;
  private scheduled = false;

  constructor(private readonly concurrency = 1) {}

  run<T>(read: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(async () => {
        try {
          resolve(await read());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      this.schedule();
    });
  }

  /** How many reads wait for their turn (for the curious: a health check, a benchmark). */
  get length(): number {
    return this.waiting.length;
  }

  /** The next read in the next turn: what arrived meanwhile (a webhook, a request's body) goes first. */
  private schedule(): void {
    if (this.scheduled || this.active >= this.concurrency || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const next = this.waiting.shift();
      if (!next) return;
      this.active += 1;
      void next().finally(() => {
        this.active -= 1;
        this.schedule();
      });
      this.schedule();
    });
  }
}
