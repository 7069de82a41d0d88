import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastDetailSchema } from '../../contracts/broadcast-schemas.ts';
import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { resendBatchDetailSchema } from '../../contracts/resend-batch-schemas.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { startDelayingProxy } from '../support/delaying-proxy.ts';
import { partnerSystem } from '../support/partner-system.ts';
import { eventually, messagesPerRecipient, startSimulator, type RunningSimulator } from '../support/simulator.ts';

let sim: RunningSimulator;
let proxy: Awaited<ReturnType<typeof startDelayingProxy>>;
let c: RunningConsole;
beforeAll(async () => {
  sim = await startSimulator();
  proxy = await startDelayingProxy(sim.url);
  c = await startConsole({ catenaUrl: proxy.url, dispatch: true, subscribe: true });
  await c.subscribed;
});
afterAll(async () => {
  await c?.close();
  await proxy?.close();
  await sim?.close();
});

describe('a cancelled batch', () => {
  it('does not send after the cancel an item that was on its way and got a 429', async () => {
    const { items } = connectionListSchema.parse((await json(c, '/api/connections')).body);
    const conn = items.find((x) => x.name === 'Northwind Freight')!;
    const users = directoryUserListSchema.parse((await json(c, `/api/users?connection_id=${conn.id}`)).body).items;
    const dispatcher = users.find((u) => u.role === 'dispatcher')!;
    await sim.scenario('expired_credentials', conn.id);
    const text = `Cancel429 ${randomUUID()}`;
    const b = broadcastDetailSchema.parse(
      (await post(c, '/api/broadcasts', { connection_id: conn.id, sender_id: dispatcher.id, all_drivers: true, message_text: text })).body,
    );
    await eventually(async () => {
      const now = broadcastDetailSchema.parse((await json(c, `/api/broadcasts/${b.id}`)).body);
      if (now.counts.queued + now.counts.pending > 0) throw new Error('going');
    }, 30_000);
    await sim.clearScenarios();

    proxy.hold(1_500);
    const arrived = proxy.nextHeldWrite();
    const batch = resendBatchDetailSchema.parse((await post(c, `/api/broadcasts/${b.id}/resend-failed`)).body);
    await arrived;
    const cancelled = resendBatchDetailSchema.parse((await post(c, `/api/resend-batches/${batch.id}/cancel`)).body);
    expect(cancelled.counts.sending).toBe(1);
    // Someone else on the same credentials uses up the rate budget while the request is held.
    await sim.control('PUT', '/settings', { api_rate_limit_per_second: 1 });
    const partner = partnerSystem(sim.url);
    const until = Date.now() + 1_700;
    while (Date.now() < until) {
      await partner.api(`/v2/telematics/users?connection_id=${conn.id}&size=1`);
      await new Promise((r) => setTimeout(r, 50));
    }
    proxy.passThrough();
    await sim.control('PUT', '/settings', { api_rate_limit_per_second: 1000 });
    await new Promise((r) => setTimeout(r, 3_000));
    const after = resendBatchDetailSchema.parse((await json(c, `/api/resend-batches/${batch.id}`)).body);
    expect(after.finished).toBe(true);
    expect(after.counts.cancelled).toBe(after.will_resend);
    // Nothing was resent after the cancel: Catena holds the first sends only.
    const resends = [...(await messagesPerRecipient(sim, text)).values()].reduce((n, x) => n + x.sent - 1, 0);
    expect(resends).toBe(0);
  }, 60_000);
});
