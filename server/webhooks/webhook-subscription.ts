import { scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { CatenaClient } from '../catena/catena-client.ts';
import { CatenaError } from '../catena/catena-error.ts';
import type { SettingsStore } from '../db/settings-store.ts';

export const RESOURCE_OPERATION_EVENTS = ['resource_operation.created', 'resource_operation.succeeded', 'resource_operation.failed'] as const;

const SUBSCRIPTION_KEY = 'webhooks.subscription';
const recordSchema = z.object({ url: z.string(), secret_fingerprint: z.string(), ids: z.array(z.string()) });

type Deps = { catena: CatenaClient; settings: SettingsStore; log: FastifyBaseLogger; publicUrl: string; secret: string };

/**
 * Makes sure Catena sends `resource_operation.*` events to this console, signed with its secret.
 *
 * Catena shows a subscription's secret and URL only partly after creation, so the console
 * recognises its own subscriptions by the ids it recorded when it made them (with the URL and a
 * fingerprint of the secret they were made with). When any of those changed, it replaces them.
 */
export async function ensureWebhookSubscription(deps: Deps): Promise<'kept' | 'created'> {
  const { catena, settings, log } = deps;
  const url = `${deps.publicUrl}/webhooks/catena`;
  const fingerprint = await fingerprintOf(deps.secret, url);
  const recorded = await settings.get(SUBSCRIPTION_KEY, recordSchema);
  const existing = await catena.listWebhooks();

  if (recorded && recorded.url === url && recorded.secret_fingerprint === fingerprint) {
    // Paused and stale subscriptions are still ours and hold the events Catena could not deliver:
    // they are reactivated and replayed (SubscriptionMonitor.recover), never replaced (decision 0043).
    const alive = existing.filter((hook) => recorded.ids.includes(hook.id) && (hook.status ?? 'active') !== 'deleted');
    const covered = new Set(alive.map((hook) => hook.event_name));
    if (RESOURCE_OPERATION_EVENTS.every((event) => covered.has(event))) return 'kept';
  }

  // Out with what this console made before (another URL or secret, or partly deleted).
  for (const hook of existing) {
    if (recorded?.ids.includes(hook.id)) await catena.deleteWebhook(hook.id);
  }

  let created;
  try {
    created = await catena.createWebhook({ url, event_name: 'resource_operation.*', secret: deps.secret });
  } catch (error) {
    if (!(error instanceof CatenaError && error.status === 409)) throw error;
    // A subscription to this URL exists that this console has no record of (its data directory was
    // reset). Its secret is unknown, so it is replaced.
    const ours = existing.filter((hook) => RESOURCE_OPERATION_EVENTS.some((e) => e === hook.event_name) && couldBe(hook.url, url));
    for (const hook of ours) await catena.deleteWebhook(hook.id);
    created = await catena.createWebhook({ url, event_name: 'resource_operation.*', secret: deps.secret });
  }
  await settings.set(SUBSCRIPTION_KEY, { url, secret_fingerprint: fingerprint, ids: created.map((hook) => hook.id) });
  log.info({ url, subscriptions: created.length }, 'subscribed to Catena resource_operation events');
  return 'created';
}

/** The ids of the subscriptions this console made (none before it first subscribed). */
export async function recordedSubscriptionIds(settings: SettingsStore): Promise<string[]> {
  return (await settings.get(SUBSCRIPTION_KEY, recordSchema))?.ids ?? [];
}

/**
 * What the store keeps of the secret to notice it changed: a slow, salted hash (scrypt), so a copy
 * of the shared database is no quick way to guess the secret Catena signs webhooks with. A record
 * of an older version (a plain SHA-256 prefix) no longer matches: that console's subscription is
 * replaced once, with the same secret.
 */
async function fingerprintOf(secret: string, url: string): Promise<string> {
  const derived = (await promisify(scrypt)(secret, `fleetops webhook subscription ${url}`, 24)) as Buffer;
  return `scrypt:${derived.toString('hex')}`;
}

/** Whether a URL as Catena shows it (parts replaced by `*****`) could be `url`. */
export function couldBe(redacted: string, url: string): boolean {
  const pattern = redacted
    .split('*****')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(url);
}
