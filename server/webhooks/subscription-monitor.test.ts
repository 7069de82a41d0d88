import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatenaWebhook } from '../catena/catena-schemas.ts';
import { openDatabase, type StoreDatabase } from '../db/database.ts';
import { SettingsStore } from '../db/settings-store.ts';
import { RESOURCE_OPERATION_EVENTS } from './webhook-subscription.ts';
import { SubscriptionMonitor, withoutUrls } from './subscription-monitor.ts';

describe('withoutUrls', () => {
  it('takes every URL out of a failure text, whatever it carries, and leaves the rest', () => {
    expect(withoutUrls('POST https://console.example.com/webhooks/catena?token=s3cret failed: 503')).toBe('POST [url] failed: 503');
    expect(withoutUrls('connect ECONNREFUSED 10.0.4.17:443')).toBe('connect ECONNREFUSED 10.0.4.17:443');
    expect(withoutUrls('redirected to HTTP://a.example/x and http://b.example')).toBe('redirected to [url] and [url]');
  });
});

const opened: StoreDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

/**
 * A monitor over the console's three recorded subscriptions, of which Catena lists those the test
 * gives a status (`null`: Catena no longer has it), on a clock the test moves.
 */
async function monitorOf(statuses: (string | null)[]) {
  const database = await openDatabase({ dataDir: ':memory:' });
  opened.push(database);
  const settings = new SettingsStore(database);
  const hooks: CatenaWebhook[] = RESOURCE_OPERATION_EVENTS.map((event_name) => ({ id: randomUUID(), url: '[url]', event_name, status: 'active' }));
  await settings.set('webhooks.subscription', { url: '[url]', secret_fingerprint: 'f', ids: hooks.map((hook) => hook.id) });
  hooks.forEach((hook, index) => {
    hook.status = statuses[index] ?? null;
  });
  const clock = { now: Date.parse('2026-11-27T10:00:00.000Z') };
  const monitor = new SubscriptionMonitor({
    catena: {
      listWebhooks: async () => hooks.filter((hook) => hook.status !== null),
      webhookMetrics: async () => {
        throw new Error('not read by the state check');
      },
      webhookLogs: async () => [],
      activateWebhook: async () => {
        throw new Error('not called while nothing is stale or paused');
      },
      replayWebhook: async () => undefined,
    },
    settings,
    log: pino({ level: 'silent' }),
    now: () => clock.now,
  });
  return { monitor, clock };
}

describe('SubscriptionMonitor: the state the header shows', () => {
  it('is the worst of the three subscriptions, one Catena lost counting as missing', async () => {
    const allActive = await monitorOf(['active', 'active', 'active']);
    expect(await allActive.monitor.checkState()).toBe('active');
    expect(await allActive.monitor.state()).toBe('active');

    const oneLost = await monitorOf(['active', null, 'active']);
    expect(await oneLost.monitor.checkState()).toBe('missing');
    expect(await oneLost.monitor.state()).toBe('missing');

    const newWord = await monitorOf(['active', 'suspended', 'active']);
    // A status Catena adds later is not read as active.
    expect(await newWord.monitor.checkState()).toBe('unknown');
  });

  it('is no longer claimed once nobody has read it for ten minutes', async () => {
    const { monitor, clock } = await monitorOf(['active', 'active', 'active']);
    await monitor.checkState();
    clock.now += 10 * 60_000;
    expect(await monitor.state()).toBe('active');
    clock.now += 1;
    expect(await monitor.state()).toBe('unknown');
  });
});
