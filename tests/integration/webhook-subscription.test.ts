import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catenaWebhookSchema } from '../../server/catena/catena-schemas.ts';
import { startConsole, SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../support/console-server.ts';
import { createTestDatabase } from '../support/postgres-server.ts';
import { eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { scalarOf } from '../support/store-queries.ts';
import { postgresTestUrl } from '../support/test-databases.ts';

let sim: RunningSimulator;
let dataDir: string;
beforeAll(async () => {
  sim = await startSimulator();
  dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-subscription-'));
});
afterAll(async () => {
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// Every console below says Catena should post here; nothing listens, which these tests do not need.
const publicUrl = 'http://127.0.0.1:9/console';

/** The subscriptions as Catena lists them, read with the console's own credentials. */
async function subscriptions() {
  const tokenResponse = await fetch(`${sim.url}/realms/catena/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SIM_CLIENT_ID,
      client_secret: SIM_CLIENT_SECRET,
      scope: 'organization',
    }),
  });
  const { access_token: token } = z.object({ access_token: z.string() }).parse(await tokenResponse.json());
  const list = await fetch(`${sim.url}/v2/notifications/webhooks?size=1000`, { headers: { authorization: `Bearer ${token}` } });
  const items = z.object({ items: z.array(catenaWebhookSchema) }).parse(await list.json()).items;
  return { events: items.map((s) => s.event_name).sort(), ids: items.map((s) => s.id).sort() };
}

async function deleteSubscription(id: string) {
  const tokenResponse = await fetch(`${sim.url}/realms/catena/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: SIM_CLIENT_ID,
      client_secret: SIM_CLIENT_SECRET,
      scope: 'organization',
    }),
  });
  const { access_token: token } = z.object({ access_token: z.string() }).parse(await tokenResponse.json());
  const response = await fetch(`${sim.url}/v2/notifications/webhooks/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  expect(response.ok).toBe(true);
}

async function startAndStop(options: { dataDir: string; webhookSecret: string }) {
  const consoleServer = await startConsole({ catenaUrl: sim.url, subscribe: true, publicUrl, ...options });
  await consoleServer.subscribed;
  await consoleServer.close();
  return subscriptions();
}

const allThree = ['resource_operation.created', 'resource_operation.failed', 'resource_operation.succeeded'];

describe('the webhook subscription made at start', () => {
  it('subscribes once, keeps it across restarts, and replaces it when the secret changes or the store is new', async () => {
    const first = await startAndStop({ dataDir, webhookSecret: 'first-secret-0123456789' });
    expect(first.events).toEqual(allThree);

    const restarted = await startAndStop({ dataDir, webhookSecret: 'first-secret-0123456789' });
    expect(restarted.ids).toEqual(first.ids);

    const rotated = await startAndStop({ dataDir, webhookSecret: 'second-secret-0123456789' });
    expect(rotated.events).toEqual(allThree);
    expect(rotated.ids.some((id) => first.ids.includes(id))).toBe(false);

    // A console whose store was wiped meets subscriptions to its URL it has no record of (409):
    // it replaces them rather than leaving events signed with a secret it does not know.
    const freshDir = mkdtempSync(path.join(tmpdir(), 'fleetops-subscription-fresh-'));
    try {
      const wiped = await startAndStop({ dataDir: freshDir, webhookSecret: 'third-secret-0123456789' });
      expect(wiped.events).toEqual(allThree);
      expect(wiped.ids.some((id) => rotated.ids.includes(id))).toBe(false);
    } finally {
      rmSync(freshDir, { recursive: true, force: true });
    }
  });
});

describe('the webhook subscription while the console runs', () => {
  const CHECK_INTERVAL_MS = 500;

  it.each([
    ['all of it', (ids: string[]) => ids],
    ['one event of three', (ids: string[]) => ids.slice(0, 1)],
  ])('makes it again within one check interval after Catena lost %s', async (_what, lost) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleetops-resubscribe-'));
    const consoleServer = await startConsole({
      catenaUrl: sim.url,
      subscribe: true,
      publicUrl,
      dataDir: dir,
      webhookCheckIntervalMs: CHECK_INTERVAL_MS,
      webhookSecret: 'resubscribe-secret-0123456789',
    });
    try {
      await consoleServer.subscribed;
      const before = await subscriptions();
      expect(before.events).toEqual(allThree);
      for (const id of lost(before.ids)) await deleteSubscription(id);
      expect((await subscriptions()).ids.length).toBeLessThan(3);

      // One interval, plus the time one check takes; bounded well below anything a person would notice.
      const after = await eventually(
        async () => {
          const now = await subscriptions();
          expect(now.events).toEqual(allThree);
          return now;
        },
        CHECK_INTERVAL_MS * 2 + 2_000,
      );
      expect(after.ids.some((id) => before.ids.includes(id) && lost(before.ids).includes(id))).toBe(false);
    } finally {
      await consoleServer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one subscription for several servers on one PostgreSQL', () => {
  it('is adopted, not replaced, by the server that takes the lead; the store keeps no quick way to check the secret', async () => {
    const database = await createTestDatabase(postgresTestUrl());
    const secret = 'shared-secret-0123456789';
    const shared = {
      catenaUrl: sim.url,
      subscribe: true,
      publicUrl: `${publicUrl}/cluster`,
      webhookSecret: secret,
      databaseUrl: database.url,
      leaseCheckMs: 200,
    };
    const a = await startConsole(shared);
    let b: Awaited<ReturnType<typeof startConsole>> | undefined;
    try {
      await a.subscribed;
      const before = await subscriptions();
      b = await startConsole(shared);
      // A stops and gives the lead up; B takes it and checks the subscription it finds recorded.
      await a.close();
      await b.subscribed;
      expect(await subscriptions()).toEqual(before);

      const record = z
        .object({ secret_fingerprint: z.string() })
        .parse(JSON.parse(String(await scalarOf(b.database, sql`SELECT value FROM settings WHERE key = 'webhooks.subscription'`))));
      expect(record.secret_fingerprint).toMatch(/^scrypt:[0-9a-f]{48}$/);
      expect(record.secret_fingerprint).not.toContain(createHash('sha256').update(secret).digest('hex').slice(0, 16));
    } finally {
      await b?.close();
      await a.close().catch(() => undefined);
      await database.drop();
    }
  });
});
