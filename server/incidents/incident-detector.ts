import type { FastifyBaseLogger } from 'fastify';
import { can } from '../../contracts/access-schemas.ts';
import type { DirectoryConnection } from '../../contracts/directory-schemas.ts';
import type { AccountStore } from '../access/account-store.ts';
import type { Duty } from '../coordination/leader-duties.ts';
import type { ResendBatchStarter } from '../resend-batches/resend-batch-routes.ts';
import type { IncidentStore } from './incident-store.ts';

/**
 * When an incident opens and closes (decision 0045). Each failed async write has already been
 * retried by Catena (up to 5 attempts over about 15 s), so one failed write is a fleet's bad
 * minute, while several across a TSP's connections within minutes is the provider. Closing asks
 * for more than the absence of failures (hysteresis): writes that succeed after the last failure,
 * or a long quiet, so a TSP that limps (every other write failing) stays one incident, not ten.
 */
export type IncidentRules = {
  /** Open when at least this many writes of one TSP failed `tsp`/`network`… */
  openAfterFailures: number;
  /** …within this long (the database's clock). */
  windowMs: number;
  /** Close when this many writes of the TSP succeeded after its newest failure… */
  closeAfterSuccesses: number;
  /** …or when no write of it has failed for this long (nobody wrote, so nothing says it is still down). */
  quietMs: number;
  /**
   * How often the leader looks. A dispatcher composing into a failing TSP should see the banner
   * within one of the SPA's polls (about 10 s) of the failures reaching the store; each look is a
   * few indexed counts per TSP.
   */
  checkEveryMs: number;
};

export const DEFAULT_INCIDENT_RULES: IncidentRules = {
  openAfterFailures: 5,
  windowMs: 10 * 60_000,
  closeAfterSuccesses: 3,
  quietMs: 15 * 60_000,
  checkEveryMs: 5_000,
};

/** The idempotency key of an incident's armed resend: one batch per incident, whichever server makes it and however often it asks. */
export const armedResendKeyOf = (incidentId: string) => `incident-resend:${incidentId}`;

type Deps = {
  incidents: IncidentStore;
  listConnections: () => Promise<DirectoryConnection[]>;
  startResend: ResendBatchStarter;
  /** Who armed a resend may have lost the right to resend before the incident closed. */
  accounts: Pick<AccountStore, 'get'>;
  log: FastifyBaseLogger;
  rules: IncidentRules;
};

/**
 * The leader's detector: on a timer it opens, grows and closes each TSP's incident from the
 * operations store, then starts the armed resends of incidents that closed. Run by one server at
 * a time (a leader duty); every step is also safe if two ran at once (see IncidentStore).
 */
export class IncidentDetector {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private on = false;

  constructor(private readonly deps: Deps) {}

  /** One look at every TSP, then the armed resends that are due. */
  async runOnce(): Promise<void> {
    const { incidents, rules } = this.deps;
    const byTsp = new Map<string, string[]>();
    // The TSP of an operation is its connection's (the directory, cached): white-labelled TSPs share a source name.
    for (const connection of await this.deps.listConnections()) byTsp.set(connection.tsp, [...(byTsp.get(connection.tsp) ?? []), connection.id]);
    // A TSP whose last fleet left the directory still has its open incident looked at, so the quiet closes it.
    for (const open of await incidents.list({ open: true, limit: 100 })) if (!byTsp.has(open.tsp)) byTsp.set(open.tsp, []);

    for (const [tsp, connectionIds] of byTsp) {
      let open = await incidents.openIdOf(tsp);
      if (!open) {
        const found = await incidents.unclaimedFailures(connectionIds, await incidents.lastClosedAt(tsp), rules.windowMs);
        if (found.count < rules.openAfterFailures || !found.first) continue;
        const opened = await incidents.open(tsp, found.first);
        if (opened.opened) this.deps.log.warn({ incident_id: opened.id, tsp, failed: found.count }, 'provider incident opened');
        open = await incidents.openIdOf(tsp);
        if (!open) continue;
      }
      await incidents.claimFailures(open.id, connectionIds, open.since);
      const recovery = await incidents.recovery(open.id, connectionIds, rules.quietMs);
      if (recovery.successesSince >= rules.closeAfterSuccesses || recovery.quiet) {
        if (await incidents.close(open.id)) this.deps.log.info({ incident_id: open.id, tsp, ...recovery }, 'provider incident closed');
      }
    }
    await this.startDueResends();
  }

  private async startDueResends(): Promise<void> {
    const { incidents, log } = this.deps;
    for (const due of await incidents.awaitingResend()) {
      try {
        const account = due.armed_by ? await this.deps.accounts.get(due.armed_by.id) : null;
        if (due.armed_by && (!account || account.disabled || !can(account.role, 'resend'))) {
          // The leader sends on the armer's behalf: not for someone who may no longer resend.
          const note = `Not resent: ${due.armed_by.name || 'the person who armed it'} can no longer resend (account disabled or role changed since arming). Resend the failures from Operations if still wanted.`;
          await incidents.settleResend(due.id, { note });
          log.info({ incident_id: due.id, tsp: due.tsp, refused: note }, 'armed resend of a closed incident handled');
          continue;
        }
        const outcome = await this.deps.startResend({
          key: armedResendKeyOf(due.id),
          operationIds: await incidents.operationIds(due.id),
          user: due.armed_by && { ...due.armed_by, email: due.armed_by.email ?? '' },
        });
        await incidents.settleResend(due.id, 'batchId' in outcome ? { batchId: outcome.batchId } : { note: outcome.refused });
        log.info({ incident_id: due.id, tsp: due.tsp, ...outcome }, 'armed resend of a closed incident handled');
      } catch (error) {
        // Unsettled, so asked again (same key, same batch) next look; the other incidents' resends go on meanwhile.
        log.warn(
          { incident_id: due.id, tsp: due.tsp, err: error instanceof Error ? error.message : error },
          'armed resend of a closed incident not started yet; will retry',
        );
      }
    }
  }

  /** The leader's duty: look now, then every `checkEveryMs`, logging (not throwing) what fails. */
  duty(): Duty {
    return {
      name: 'provider incidents',
      start: () => {
        this.on = true;
        this.schedule(0);
      },
      stop: async () => {
        this.on = false;
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        await this.running;
      },
    };
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) =>
          this.deps.log.warn({ err: error instanceof Error ? error.message : error }, 'provider incident check failed; will retry'),
        )
        .finally(() => {
          this.running = null;
          if (this.on) this.schedule(this.deps.rules.checkEveryMs);
        });
    }, ms);
    this.timer.unref();
  }
}
