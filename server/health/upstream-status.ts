import { z } from 'zod';
import type { SettingsStore } from '../db/settings-store.ts';

/** What this server learnt is written to the store at most this often: every Catena call reports here. */
const SHARE_EVERY_MS = 1_000;

const KEYS = { success: 'health.upstream_success', failure: 'health.upstream_failure', webhook: 'health.last_webhook' } as const;
const atSchema = z.object({ at: z.string() });
const failureSchema = z.object({ at: z.string(), error: z.string() });

type Kind = keyof typeof KEYS;
type Mark = { at: string; error?: string };

/**
 * What the console last learnt about reaching Catena and receiving its webhooks; fed by every
 * upstream call and by the webhook receiver, read by GET /api/health. With a store, every server
 * shares it, stamped with the database's clock: a webhook received by one server shows on the
 * others' health, and servers whose clocks differ still agree which came last. Without one (unit
 * tests), it is this process's alone.
 */
export class UpstreamStatus {
  private readonly local: Partial<Record<Kind, Mark>> = {};
  /** Learnt here and not written yet: the newest of each kind. */
  private readonly unshared: Partial<Record<Kind, Mark>> = {};
  private shareTimer: NodeJS.Timeout | null = null;
  private sharing: Promise<void> | null = null;
  private lastShared = 0;

  constructor(private readonly settings: SettingsStore | null = null) {}

  recordSuccess(at = new Date()): void {
    this.mark('success', { at: at.toISOString() });
  }

  /** `reason` must be safe to show: never a token, a secret or a raw upstream body. */
  recordFailure(reason: string, at = new Date()): void {
    this.mark('failure', { at: at.toISOString(), error: reason });
  }

  recordWebhook(at = new Date()): void {
    this.mark('webhook', { at: at.toISOString() });
  }

  /** Writes what this server learnt and has not shared yet. */
  async flush(): Promise<void> {
    if (this.shareTimer) clearTimeout(this.shareTimer);
    this.shareTimer = null;
    await this.sharing;
    // In the order they happened here, each a millisecond after the one before, so a failure that
    // followed a success within the same second still reads as the newer.
    const marks = (Object.entries(this.unshared) as [Kind, Mark][]).sort(([, a], [, b]) => a.at.localeCompare(b.at));
    if (!this.settings || marks.length === 0) return;
    for (const [kind] of marks) delete this.unshared[kind];
    this.lastShared = Date.now();
    const settings = this.settings;
    const share = async () => {
      for (const [index, [kind, mark]] of marks.entries())
        await settings.stampNow(KEYS[kind], mark.error === undefined ? {} : { error: mark.error }, index);
    };
    this.sharing = share()
      .catch(() => undefined)
      .finally(() => {
        this.sharing = null;
      });
    await this.sharing;
  }

  async snapshot() {
    // What this server just learnt first, so its own answer never lags behind what it saw.
    await this.flush();
    const [success, failure, webhook] = await Promise.all([
      this.newest('success', atSchema),
      this.newest('failure', failureSchema),
      this.newest('webhook', atSchema),
    ]);
    const reachable = success !== null && (failure === null || success.at >= failure.at);
    return {
      reachable,
      last_success_at: success?.at ?? null,
      last_error: reachable ? null : (failure?.error ?? null),
      last_webhook_at: webhook?.at ?? null,
    };
  }

  private mark(kind: Kind, mark: Mark): void {
    this.local[kind] = mark;
    if (!this.settings) return;
    this.unshared[kind] = mark;
    if (this.shareTimer) return;
    this.shareTimer = setTimeout(() => void this.flush(), Math.max(0, this.lastShared + SHARE_EVERY_MS - Date.now()));
    this.shareTimer.unref();
  }

  private async newest<T extends z.ZodType<Mark>>(kind: Kind, schema: T): Promise<Mark | null> {
    if (!this.settings) return this.local[kind] ?? null;
    // The store's, stamped by its clock; this server's own only when the store cannot be read.
    return (await this.settings.get(KEYS[kind], schema).catch(() => undefined)) ?? this.local[kind] ?? null;
  }
}
