import type { FastifyBaseLogger } from 'fastify';
import type { LeaseStore } from './lease-store.ts';

/** Work only one server of several does: started when this server becomes the leader, stopped when it stops being one. */
export type Duty = { name: string; start(): void; stop(): Promise<void> };

const LEADER_LEASE = 'leader';

type Options = {
  leases: LeaseStore;
  serverId: string;
  /**
   * How often the lease is renewed, and how often another server asks for it. The lease lasts
   * 2.5 times this, so a dead leader is replaced within 3.5 times it: within one reconcile
   * interval when this is a quarter of it or less (decision 0041).
   */
  checkEveryMs: number;
  duties: readonly Duty[];
  log: FastifyBaseLogger;
  /**
   * The only server there can be (SQLite: a file one process opens): it leads from its start, with
   * no lease, so a server restarted after a crash does not wait for its dead self's lease to run out.
   */
  soleServer?: boolean;
};

/**
 * Of several servers on one store, exactly one leads at a time, and only the leader runs the
 * reconciler, settles sends in doubt, keeps the webhook subscription and does the housekeeping.
 * With SQLite there is one server, which always leads.
 */
export class LeaderDuties {
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  /** When the lease last was renewed, on this process's monotonic clock. */
  private renewedAt = 0;
  private stopped = true;
  private ticking: Promise<void> | null = null;

  constructor(private readonly options: Options) {}

  /**
   * Whether this server leads now: it took or renewed the lease less than the lease's time ago
   * (with a margin), so a server whose renewal hangs (a store that stopped answering) stops
   * counting itself the leader before another server may take the lease.
   */
  get isLeader(): boolean {
    return this.leading && (this.options.soleServer === true || performance.now() < this.renewedAt + this.ttlMs() * 0.8);
  }

  private ttlMs(): number {
    return this.options.checkEveryMs * 2.5;
  }

  /** Asks for the lease now (so a lone server starts its duties at once), then on a timer. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  /** Stops the duties and gives the lease up, so another server takes over now rather than when it expires. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    if (this.leading) await this.resign();
  }

  private async tick(): Promise<void> {
    const run = async () => {
      const { leases, serverId, checkEveryMs, log } = this.options;
      let held = false;
      try {
        const asked = performance.now();
        // A renewal that takes longer than a check period is no renewal: the lease may be another's by then.
        held = this.options.soleServer === true || (await withTimeout(leases.acquire(LEADER_LEASE, serverId, this.ttlMs()), checkEveryMs));
        if (held) this.renewedAt = asked;
      } catch (error) {
        // The store cannot be reached: this server cannot know it still leads, so it stops leading.
        log.warn({ err: error instanceof Error ? error.message : error }, 'could not renew the leader lease');
      }
      if (this.stopped) return;
      if (held && !this.leading) {
        this.leading = true;
        log.info({ server_id: serverId }, 'this server leads: it runs the reconciler, settles sends in doubt and keeps the webhook subscription');
        for (const duty of this.options.duties) duty.start();
      } else if (!held && this.leading) {
        log.warn({ server_id: serverId }, 'this server no longer leads; another server took over');
        await this.stopDuties();
      }
    };
    this.ticking = run();
    await this.ticking;
    this.ticking = null;
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.tick(), this.options.checkEveryMs);
      this.timer.unref();
    }
  }

  private async stopDuties(): Promise<void> {
    this.leading = false;
    for (const duty of this.options.duties) {
      await duty
        .stop()
        .catch((error: unknown) =>
          this.options.log.warn({ duty: duty.name, err: error instanceof Error ? error.message : error }, 'a duty did not stop cleanly'),
        );
    }
  }

  private async resign(): Promise<void> {
    await this.stopDuties();
    await this.options.leases.release(LEADER_LEASE, this.options.serverId).catch(() => undefined);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
