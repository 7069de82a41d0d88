import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import {
  webhookSubscriptionStateSchema,
  type WebhookDeliveryFailure,
  type WebhookSubscriptionState,
  type WebhookSubscriptionView,
} from '../../contracts/webhook-subscription-schemas.ts';
import type { CatenaClient } from '../catena/catena-client.ts';
import type { CatenaWebhook, CatenaWebhookMetrics } from '../catena/catena-schemas.ts';
import type { SettingsStore } from '../db/settings-store.ts';
import { recordedSubscriptionIds } from './webhook-subscription.ts';

/** How many failed attempts the panel lists. */
export const LAST_FAILURES_SHOWN = 5;
/** Reads shared by everyone asking within this time: many admins polling cost one set of upstream calls. */
export const SUBSCRIPTION_CACHE_MS = 5_000;
/** A failure's text as Catena gave it, cut to what a panel can show. */
const ERROR_MESSAGE_MAX = 300;

/**
 * How often the leader reads the subscriptions' states (one list call) and brings back a stale or
 * paused one; the full check (subscription made, DLQ replayed) runs every WEBHOOK_CHECK_INTERVAL_SECONDS.
 */
export const STATE_CHECK_MS = 30_000;
/** A shared state older than this (no leader has checked since) is no longer claimed. */
const STATE_TRUSTED_FOR_MS = 10 * 60_000;
const STATE_KEY = 'webhooks.subscription_state';
const sharedStateSchema = z.object({ state: webhookSubscriptionStateSchema, checked_at: z.string() });

/** Worst first: the state the console shows for its three subscriptions together. */
const SEVERITY: Record<string, number> = { stale: 4, paused: 3, missing: 2, active: 1 };

type Deps = {
  catena: Pick<CatenaClient, 'listWebhooks' | 'webhookMetrics' | 'webhookLogs' | 'activateWebhook' | 'replayWebhook'>;
  settings: SettingsStore;
  log: FastifyBaseLogger;
  cacheMs?: number;
  now?: () => number;
};

type Snapshot = { view: WebhookSubscriptionView; hooks: (CatenaWebhook & { metrics: CatenaWebhookMetrics })[] };

/**
 * Reads the console's own webhook subscriptions at Catena (status, metrics, failed deliveries) and
 * brings them back when Catena stopped delivering: activate what is paused or stale, then replay
 * the dead-letter queue. Reads are cached briefly and shared while in flight.
 */
export class SubscriptionMonitor {
  private cached: { at: number; snapshot: Snapshot } | null = null;
  private inflight: Promise<Snapshot> | null = null;
  private recovering: Promise<{ reactivated: number; replayed: number; view: WebhookSubscriptionView }> | null = null;
  private readonly now: () => number;
  private watchTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: Deps) {
    this.now = deps.now ?? Date.now;
  }

  async view(): Promise<WebhookSubscriptionView> {
    return (await this.snapshot()).view;
  }

  /**
   * The state last read by any server, from the store: the header's health poll never calls Catena
   * and never waits for it. `unknown` when nobody has read it lately.
   */
  async state(): Promise<WebhookSubscriptionState> {
    const shared = await this.deps.settings.get(STATE_KEY, sharedStateSchema);
    if (!shared || this.now() - Date.parse(shared.checked_at) > STATE_TRUSTED_FOR_MS) return 'unknown';
    return shared.state;
  }

  /**
   * The leader's light check: one list call for the states, and when one is stale or paused,
   * reactivate and replay at once rather than at the next full check.
   */
  async checkState(): Promise<WebhookSubscriptionState> {
    const ids = await recordedSubscriptionIds(this.deps.settings);
    if (ids.length === 0) return 'unknown';
    const ours = (await this.deps.catena.listWebhooks()).filter((hook) => ids.includes(hook.id));
    const state = worstOf(
      ours.map((hook) => hook.status ?? 'active'),
      ours.length < ids.length,
    );
    await this.share(state);
    if (state === 'stale' || state === 'paused') return (await this.recover()).view.status;
    return state;
  }

  /** Runs `checkState` every `everyMs` until `unwatch`, logging (not throwing) what fails. */
  watch(everyMs: number): void {
    const run = () => {
      void this.checkState()
        .catch((error: unknown) => {
          void this.share('unknown').catch(() => undefined);
          this.deps.log.warn({ err: error instanceof Error ? error.message : error }, 'could not read the Catena webhook subscription state');
        })
        .finally(() => {
          if (!this.watchTimer) return;
          this.watchTimer = setTimeout(run, everyMs);
          this.watchTimer.unref();
        });
    };
    this.watchTimer = setTimeout(run, everyMs);
    this.watchTimer.unref();
  }

  unwatch(): void {
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.watchTimer = null;
  }

  /**
   * Activates every subscription that is paused or stale, then asks Catena to replay each dead-letter
   * queue that holds anything. Returns what it did and the state after it.
   */
  recover(): Promise<{ reactivated: number; replayed: number; view: WebhookSubscriptionView }> {
    // Admins pressing at once, or a press during the leader's own recovery, share one: one activate and one replay per subscription.
    this.recovering ??= this.recoverNow().finally(() => {
      this.recovering = null;
    });
    return this.recovering;
  }

  private async recoverNow(): Promise<{ reactivated: number; replayed: number; view: WebhookSubscriptionView }> {
    this.cached = null;
    const before = await this.snapshot();
    let reactivated = 0;
    let replayed = 0;
    for (const hook of before.hooks) {
      if (hook.status === 'paused' || hook.status === 'stale') {
        await this.deps.catena.activateWebhook(hook.id);
        reactivated += 1;
      }
    }
    // After activating: Catena replays only into an active subscription.
    for (const hook of before.hooks) {
      if (hook.metrics.dlq_count > 0) {
        await this.deps.catena.replayWebhook(hook.id);
        replayed += hook.metrics.dlq_count;
      }
    }
    if (reactivated > 0 || replayed > 0) {
      this.deps.log.info({ reactivated, replayed }, 'reactivated the Catena webhook subscription and replayed its dead-letter queue');
    }
    this.cached = null;
    return { reactivated, replayed, view: (await this.snapshot()).view };
  }

  private share(state: WebhookSubscriptionState): Promise<void> {
    return this.deps.settings.set(STATE_KEY, { state, checked_at: new Date(this.now()).toISOString() });
  }

  private snapshot(): Promise<Snapshot> {
    if (this.cached && this.now() - this.cached.at < (this.deps.cacheMs ?? SUBSCRIPTION_CACHE_MS)) return Promise.resolve(this.cached.snapshot);
    this.inflight ??= this.read()
      .then(async (snapshot) => {
        this.cached = { at: this.now(), snapshot };
        await this.share(snapshot.view.status).catch(() => undefined);
        return snapshot;
      })
      .catch(async (error: unknown) => {
        // Unreachable or refusing: say so rather than show a state that may no longer hold.
        await this.share('unknown').catch(() => undefined);
        throw error;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private async read(): Promise<Snapshot> {
    const checkedAt = new Date(this.now()).toISOString();
    const ids = await recordedSubscriptionIds(this.deps.settings);
    const empty = (status: WebhookSubscriptionState): Snapshot => ({
      hooks: [],
      view: {
        status,
        subscriptions: [],
        metrics: { attempts_24h: 0, succeeded_attempts_24h: 0, delivery_success_24h: null, dlq_count: 0, ewma_success_rate: null },
        last_failures: [],
        checked_at: checkedAt,
      },
    });
    if (ids.length === 0) return empty('unknown');
    const ours = (await this.deps.catena.listWebhooks()).filter((hook) => ids.includes(hook.id));
    if (ours.length === 0) return empty('missing');

    const hooks = await Promise.all(
      ours.map(async (hook) => {
        const [metrics, failures] = await Promise.all([
          this.deps.catena.webhookMetrics(hook.id),
          this.deps.catena.webhookLogs(hook.id, { status: 'failed', size: LAST_FAILURES_SHOWN }),
        ]);
        return Object.assign(hook, { metrics, failures });
      }),
    );
    const status = worstOf(
      hooks.map((hook) => hook.status ?? 'active'),
      hooks.length < ids.length,
    );
    const attempts = sum(hooks.map((hook) => hook.metrics.http_attempts['24h'] ?? 0));
    const succeeded = sum(hooks.map((hook) => hook.metrics.http_success_attempts['24h'] ?? 0));
    const ewmas = hooks.map((hook) => hook.metrics.ewma_success_rate).filter((rate): rate is number => rate !== null);
    const lastFailures: WebhookDeliveryFailure[] = hooks
      .flatMap((hook) => hook.failures)
      .sort((a, b) => b.created_at.localeCompare(a.created_at))
      .slice(0, LAST_FAILURES_SHOWN)
      .map((row) => ({
        at: row.created_at,
        event_name: row.event_name,
        status_code: row.status_code === 0 ? null : row.status_code,
        error_message: row.error_message === null ? null : withoutUrls(row.error_message).slice(0, ERROR_MESSAGE_MAX),
      }));
    return {
      hooks: hooks.map(({ failures: _failures, ...hook }) => hook),
      view: {
        status,
        subscriptions: hooks.map((hook) => ({ event_name: hook.event_name, status: hook.status ?? 'active' })),
        metrics: {
          attempts_24h: attempts,
          succeeded_attempts_24h: succeeded,
          delivery_success_24h: attempts === 0 ? null : Math.round((1000 * succeeded) / attempts) / 10,
          dlq_count: sum(hooks.map((hook) => hook.metrics.dlq_count)),
          ewma_success_rate: ewmas.length === 0 ? null : Math.min(...ewmas),
        },
        last_failures: lastFailures,
        checked_at: checkedAt,
      },
    };
  }
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** The three subscriptions as one state: the worst of them (some lost counts as `missing`). */
function worstOf(statuses: string[], someMissing: boolean): WebhookSubscriptionState {
  if (statuses.length === 0) return 'missing';
  const all = someMissing ? [...statuses, 'missing'] : statuses;
  const worst = all.reduce((a, b) => ((SEVERITY[b] ?? 0) > (SEVERITY[a] ?? 0) ? b : a), 'active');
  // A status Catena adds later reads as unknown, not as active (a known worse one still wins).
  if (worst === 'active' && all.some((status) => SEVERITY[status] === undefined)) return 'unknown';
  return webhookSubscriptionStateSchema.parse(worst);
}

/**
 * Catena's error text could quote the endpoint, and a webhook URL may carry a token in its path or
 * query (decision 0103): no URL from it reaches a panel or a log.
 */
export function withoutUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]');
}
