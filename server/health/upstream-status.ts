import { z } from 'zod';
import type { SettingsStore } from '../db/settings-store.ts';

/** Shared records are written at most this often per kind: every Catena call reports here. */
const SHARE_EVERY_MS = 1_000;

const KEYS = { success: 'health.upstream_success', failure: 'health.upstream_failure', webhook: 'health.last_webhook' } as const;
const atSchema = z.object({ at: z.string() });
const failureSchema = z.object({ at: z.string(), error: z.string() });

type Kind = keyof typeof KEYS;
type Mark = { at: string; error?: string };

/**
 * What the console last learnt about reaching Catena and receiving its webhooks; fed by every
 * upstream call and by the webhook receiver, read by GET /api/health. Several servers share it
 * through the store, so a webhook received by one server shows on the others' health.
 */
export class UpstreamStatus {
  private readonly local: Partial<Record<Kind, Mark>> = {};
  private readonly shared: Partial<Record<Kind, { at: number; pending: Promise<void> | null }>> = {};

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

  /** Writes what this server learnt and has not shared yet (at most a second old). */
  async flush(): Promise<void> {
    await Promise.all(Object.values(this.shared).map((entry) => entry?.pending));
  }

  async snapshot() {
    const [success, failure, webhook] = await Promise.all([this.newest('success', atSchema), this.newest('failure', failureSchema), this.newest('webhook', atSchema)]);
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
    const entry = (this.shared[kind] ??= { at: 0, pending: null });
    if (entry.pending) return;
    const wait = Math.max(0, entry.at + SHARE_EVERY_MS - Date.now());
    const share = async () => {
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
      entry.at = Date.now();
      const latest = this.local[kind];
      // Only ever forward in time: servers write the same keys.
      if (latest) await this.settings?.setIfNewer(KEYS[kind], latest);
    };
    entry.pending = share()
      .catch(() => undefined)
      .finally(() => {
        entry.pending = null;
      });
  }

  private async newest<T extends z.ZodType<Mark>>(kind: Kind, schema: T): Promise<Mark | null> {
    const local = this.local[kind] ?? null;
    const shared = this.settings ? await this.settings.get(KEYS[kind], schema).catch(() => null) : null;
    if (!shared) return local;
    if (!local) return shared;
    return shared.at > local.at ? shared : local;
  }
}
