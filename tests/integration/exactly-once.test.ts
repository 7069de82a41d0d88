import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { broadcastDetailSchema, type BroadcastDetail } from '../../contracts/broadcast-schemas.ts';
import { connectionListSchema } from '../../contracts/directory-schemas.ts';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import { RESEND_BATCH_MAX, resendBatchDetailSchema, resendPreviewSchema, type ResendBatchDetail } from '../../contracts/resend-batch-schemas.ts';
import { sendStatusSchema } from '../../contracts/send-schemas.ts';
import { startConsoleProcess } from '../support/console-process.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole, type SignedIn } from '../support/console-server.ts';
import { startDelayingProxy } from '../support/delaying-proxy.ts';
import { catenaOperations, eventually, messagesPerRecipient, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { fleetOf } from '../support/fleet-directory.ts';

let sim: RunningSimulator;
let consoleServer: RunningConsole;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, subscribe: true, dispatch: true });
  await consoleServer.subscribed;
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});
afterEach(async () => {
  await sim.clearScenarios();
  await sim.control('PUT', '/settings', { api_rate_limit_per_second: 1000 });
});

type Api = Pick<SignedIn, 'fetch'>;

async function broadcast(api: Api, id: string): Promise<BroadcastDetail> {
  return broadcastDetailSchema.parse((await json(api, `/api/broadcasts/${id}`)).body);
}

async function settled(api: Api, id: string): Promise<BroadcastDetail> {
  return eventually(async () => {
    const b = await broadcast(api, id);
    if (b.counts.queued + b.counts.pending > 0) throw new Error(`still going: ${JSON.stringify(b.counts)}`);
    return b;
  }, 30_000);
}

async function batchDone(api: Api, id: string): Promise<ResendBatchDetail> {
  return eventually(async () => {
    const batch = resendBatchDetailSchema.parse((await json(api, `/api/resend-batches/${id}`)).body);
    if (!batch.finished || batch.counts.pending > 0) throw new Error(`still going: ${JSON.stringify(batch.counts)}`);
    return batch;
  }, 30_000);
}

async function operation(api: Api, id: string): Promise<OperationDetail> {
  return operationDetailSchema.parse((await json(api, `/api/operations/${id}`)).body);
}

async function finalState(api: Api, id: string): Promise<OperationDetail> {
  return eventually(async () => {
    const op = await operation(api, id);
    if (op.status === 'pending') throw new Error('pending');
    return op;
  }, 20_000);
}

describe('the broadcast resend story', () => {
  it('ends with every driver holding exactly one delivered message, and nothing left to resend', async () => {
    const { connection, dispatcher, drivers } = await fleetOf(consoleServer, 'Prairie Haulers');
    await sim.scenario('outage', connection.id);
    const text = `Road closed at exit 12 ${randomUUID()}`;
    const created = broadcastDetailSchema.parse(
      (
        await post(consoleServer, '/api/broadcasts', {
          connection_id: connection.id,
          sender_id: dispatcher.id,
          all_drivers: true,
          message_text: text,
        })
      ).body,
    );
    const failed = await settled(consoleServer, created.id);
    expect(failed.counts).toMatchObject({ failed: drivers.length, success: 0 });
    expect(failed.resend_failed).toEqual({ count: drivers.length, reason: null });

    await sim.clearScenarios();
    const resent = await post(consoleServer, `/api/broadcasts/${created.id}/resend-failed`);
    expect(resent.status).toBe(202);
    const batch = resendBatchDetailSchema.parse(resent.body);
    expect(batch.will_resend).toBe(drivers.length);
    expect((await batchDone(consoleServer, batch.id)).counts).toMatchObject({ success: drivers.length, failed: 0 });

    // Back on the original broadcast: each recipient's newest state, with its history.
    const after = await settled(consoleServer, created.id);
    expect(after.counts).toMatchObject({ success: drivers.length, failed: 0 });
    expect(after.resend_failed?.count).toBe(0);
    expect(after.resend_failed?.reason).toMatch(/delivered/);
    expect(after.resend_batch_ids).toEqual([batch.id]);
    expect(after.recipients.every((r) => r.history?.map((h) => h.status).join(' → ') === 'failed → success')).toBe(true);

    // Pressing "resend to failed" again sends nothing.
    const again = await post(consoleServer, `/api/broadcasts/${created.id}/resend-failed`);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'nothing_to_resend' } } });

    // The drawer: the first operation knows it was resent, and refuses a second resend.
    const firstSend = after.recipients[0]!.history![0]!.operation_id;
    const drawer = await operation(consoleServer, firstSend);
    expect(drawer.resent_as).toEqual([after.recipients[0]!.operation_id]);
    expect(drawer.broadcast_id).toBe(created.id);
    expect(drawer.sent_by).toBe('Administrator');
    expect(drawer.resend).toMatchObject({ verdict: 'already_resent', newer_operation_id: after.recipients[0]!.operation_id });
    expect(drawer.resend?.message).toMatch(/Already resent as .* \(Succeeded\)/);
    expect(drawer.chain?.map((c) => c.status)).toEqual(['failed', 'success']);
    const third = await post(consoleServer, `/api/operations/${firstSend}/resend`);
    expect(third).toMatchObject({
      status: 409,
      body: { error: { code: 'already_resent', details: { operation_id: after.recipients[0]!.operation_id } } },
    });
    // The resend knows its broadcast and batch too.
    const newest = await operation(consoleServer, after.recipients[0]!.operation_id!);
    expect(newest).toMatchObject({ resend_of: firstSend, broadcast_id: created.id, resend_batch_id: batch.id });

    const perDriver = await messagesPerRecipient(sim, text);
    expect([...perDriver.keys()].sort()).toEqual(drivers.map((d) => d.id).sort());
    expect([...perDriver.values()].every((c) => c.sent === 2 && c.delivered === 1)).toBe(true);
  });
});

describe('resending one operation', () => {
  it('ten simultaneous resends with different keys make exactly one new operation', async () => {
    const { connection, dispatcher, drivers } = await fleetOf(consoleServer, 'Coastal Carriers');
    await sim.scenario('expired_credentials', connection.id);
    const text = `Pick up at gate 3 ${randomUUID()}`;
    const sent = await post(consoleServer, '/api/messages', {
      connection_id: connection.id,
      sender_id: dispatcher.id,
      recipient_id: drivers[0]!.id,
      message_text: text,
    });
    const failed = await finalState(consoleServer, operationDetailSchema.parse(sent.body).id);
    expect(failed.status).toBe('failed');
    await sim.clearScenarios();

    const answers = await Promise.all(Array.from({ length: 10 }, () => post(consoleServer, `/api/operations/${failed.id}/resend`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(['already_resent', 'resend_in_progress']).toContain((refused.body as { error: { code: string } }).error.code);
    }
    await eventually(async () => {
      const perDriver = await messagesPerRecipient(sim, text);
      expect(perDriver.get(drivers[0]!.id)).toEqual({ sent: 2, delivered: 1 });
    }, 15_000);
  });
});

describe('bulk resend', () => {
  it('previews what it will skip, sends exactly that, and a second run sends nothing', async () => {
    const coastal = await fleetOf(consoleServer, 'Coastal Carriers');
    const northwind = await fleetOf(consoleServer, 'Northwind Freight');
    await sim.scenario('expired_credentials', coastal.connection.id);
    const text = `Bulk ${randomUUID()}`;
    const ids: string[] = [];
    for (const driver of coastal.drivers.slice(0, 4)) {
      const r = await post(consoleServer, '/api/messages', {
        connection_id: coastal.connection.id,
        sender_id: coastal.dispatcher.id,
        recipient_id: driver.id,
        message_text: text,
      });
      ids.push(operationDetailSchema.parse(r.body).id);
    }
    const delivered = await post(consoleServer, '/api/messages', {
      connection_id: northwind.connection.id,
      sender_id: northwind.dispatcher.id,
      recipient_id: northwind.drivers[0]!.id,
      message_text: text,
    });
    ids.push(operationDetailSchema.parse(delivered.body).id);
    for (const id of ids) await finalState(consoleServer, id);
    await sim.clearScenarios();
    // One of the failures is resent from the drawer first: the bulk resend must skip it.
    expect((await post(consoleServer, `/api/operations/${ids[0]}/resend`)).status).toBe(202);

    const filter = { q: text };
    const preview = resendPreviewSchema.parse((await post(consoleServer, '/api/resend-batches', { filter, dry_run: true })).body);
    // The resend itself matches the filter too: it is the newest of the first chain, so it counts as the same message.
    expect(preview.will_resend).toBe(3);
    expect(preview.skipped.not_failed).toBeGreaterThanOrEqual(1);
    expect(preview.skipped.already_resent ?? 0).toBeGreaterThanOrEqual(1);

    const created = await post(consoleServer, '/api/resend-batches', { filter });
    expect(created.status).toBe(202);
    const batch = resendBatchDetailSchema.parse(created.body);
    expect(batch.will_resend).toBe(preview.will_resend);
    expect(batch.skipped).toEqual(preview.skipped);
    expect((await batchDone(consoleServer, batch.id)).counts).toMatchObject({ success: 3 });

    const second = await post(consoleServer, '/api/resend-batches', { filter, dry_run: true });
    expect(resendPreviewSchema.parse(second.body).will_resend).toBe(0);
    expect((await post(consoleServer, '/api/resend-batches', { filter })).status).toBe(409);

    const perDriver = await messagesPerRecipient(sim, text);
    for (const driver of coastal.drivers.slice(0, 4)) expect(perDriver.get(driver.id)).toEqual({ sent: 2, delivered: 1 });
    expect(perDriver.get(northwind.drivers[0]!.id)).toEqual({ sent: 1, delivered: 1 });

    const audit = (await json(consoleServer, '/api/audit?action=resend_batch_started')).body as { items: { target: string; actor_email: string }[] };
    expect(audit.items.some((entry) => entry.target === batch.id)).toBe(true);
  });

  it('takes a selection of the most ids it allows, and refuses one more with a message', async () => {
    const ids = Array.from({ length: RESEND_BATCH_MAX }, () => randomUUID());
    const preview = await post(consoleServer, '/api/resend-batches', { operation_ids: ids, dry_run: true });
    expect(preview).toMatchObject({ status: 200, body: { selected: 0, will_resend: 0 } });
    const tooMany = await post(consoleServer, '/api/resend-batches', { operation_ids: [...ids, randomUUID()], dry_run: true });
    expect(tooMany).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
  });

  it('skips an error resending cannot fix, by its reason', async () => {
    const coastal = await fleetOf(consoleServer, 'Coastal Carriers');
    await sim.scenario('expired_credentials', coastal.connection.id);
    const text = `Validation ${randomUUID()}`;
    const sent = await post(consoleServer, '/api/messages', {
      connection_id: coastal.connection.id,
      sender_id: coastal.dispatcher.id,
      recipient_id: coastal.drivers[1]!.id,
      message_text: text,
    });
    const failed = await finalState(consoleServer, operationDetailSchema.parse(sent.body).id);
    // Mark it as a validation failure in the console's store, as a TSP would have answered.
    await consoleServer.store.upsert(
      { ...failed, updated_at: new Date(Date.parse(failed.updated_at) + 1).toISOString(), last_error_type: 'validation' },
      'reconciler',
    );
    const preview = resendPreviewSchema.parse((await post(consoleServer, '/api/resend-batches', { operation_ids: [failed.id], dry_run: true })).body);
    expect(preview).toEqual({ selected: 1, will_resend: 0, skipped: { not_fixable: 1 } });
  });

  it('a cancelled batch sends nothing more, and a restart mid-way sends nothing twice', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-bulk-restart-'));
    let first: RunningConsole | undefined = await startConsole({ catenaUrl: sim.url, dataDir, dispatch: true, subscribe: true });
    await first.subscribed;
    let second: RunningConsole | undefined;
    try {
      const { connection, dispatcher, drivers } = await fleetOf(first, 'Northwind Freight');
      await sim.scenario('expired_credentials', connection.id);
      const text = `Restart ${randomUUID()}`;
      const b = broadcastDetailSchema.parse(
        (await post(first, '/api/broadcasts', { connection_id: connection.id, sender_id: dispatcher.id, all_drivers: true, message_text: text }))
          .body,
      );
      await settled(first, b.id);
      await sim.clearScenarios();
      // Slow Catena down so the batch is half sent when the console stops.
      await sim.control('PUT', '/settings', { api_rate_limit_per_second: 2 });
      const batch = resendBatchDetailSchema.parse((await post(first, `/api/broadcasts/${b.id}/resend-failed`)).body);
      await eventually(async () => {
        const now = resendBatchDetailSchema.parse((await json(first!, `/api/resend-batches/${batch.id}`)).body);
        if (now.counts.queued >= drivers.length - 1) throw new Error('not started');
      });
      await first.close();
      first = undefined;

      await sim.control('PUT', '/settings', { api_rate_limit_per_second: 1000 });
      // Webhooks for what the first console sent went to it; the second's reconciler brings them in.
      second = await startConsole({ catenaUrl: sim.url, dataDir, dispatch: true, subscribe: true, reconcile: true });
      await second.subscribed;
      const done = await batchDone(second, batch.id);
      expect(done.counts.success).toBe(drivers.length);
      const perDriver = await messagesPerRecipient(sim, text);
      expect([...perDriver.values()].every((c) => c.sent === 2 && c.delivered === 1)).toBe(true);

      // Cancel: a second broadcast's resend, cancelled at once, leaves the rest unsent.
      await sim.scenario('expired_credentials', connection.id);
      const text2 = `Cancel ${randomUUID()}`;
      const b2 = broadcastDetailSchema.parse(
        (await post(second, '/api/broadcasts', { connection_id: connection.id, sender_id: dispatcher.id, all_drivers: true, message_text: text2 }))
          .body,
      );
      await settled(second, b2.id);
      await sim.clearScenarios();
      await sim.control('PUT', '/settings', { api_rate_limit_per_second: 1 });
      const batch2 = resendBatchDetailSchema.parse((await post(second, `/api/broadcasts/${b2.id}/resend-failed`)).body);
      const cancelled = resendBatchDetailSchema.parse((await post(second, `/api/resend-batches/${batch2.id}/cancel`)).body);
      expect(cancelled.cancelled_at).not.toBeNull();
      const final = await batchDone(second, batch2.id);
      expect(final.counts.cancelled).toBeGreaterThan(0);
      const sentNow = final.items.filter((i) => i.operation_id !== null).length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const resends = [...(await messagesPerRecipient(sim, text2)).values()].reduce((n, c) => n + c.sent - 1, 0);
      expect(resends).toBe(sentNow);
    } finally {
      await first?.close();
      await second?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('a send in doubt', () => {
  it("held past the console's timeout and created late, is settled as sent: the retry answers with it, one message at Catena", async () => {
    const proxy = await startDelayingProxy(sim.url);
    const viaProxy = await startConsole({ catenaUrl: proxy.url, dispatch: true, sendTimeoutMs: 800, landingWindowMs: 3_000 });
    try {
      const { connection, dispatcher, drivers } = await fleetOf(viaProxy, 'Northwind Freight');
      const text = `Held ${randomUUID()}`;
      const body = { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: drivers[2]!.id, message_text: text };
      const key = randomUUID();
      proxy.hold(1_500);
      const first = await post(viaProxy, '/api/messages', body, key);
      expect(first).toMatchObject({ status: 504, body: { error: { code: 'send_in_doubt' } } });
      const { send_id: sendId } = (first.body as { error: { details: { send_id: string } } }).error.details;
      proxy.passThrough();

      // While in doubt, the same key does not send again.
      const retry = await post(viaProxy, '/api/messages', body, key);
      expect(retry).toMatchObject({ status: 409, body: { error: { code: 'send_in_doubt' } } });
      expect(sendStatusSchema.parse((await json(viaProxy, `/api/sends/${sendId}`)).body).state).toBe('in_doubt');

      const status = await eventually(async () => {
        const s = sendStatusSchema.parse((await json(viaProxy, `/api/sends/${sendId}`)).body);
        if (s.state === 'in_doubt') throw new Error('still in doubt');
        return s;
      }, 15_000);
      expect(status.state).toBe('sent');
      const settledRetry = await post(viaProxy, '/api/messages', body, key);
      expect(settledRetry.status).toBe(202);
      expect(settledRetry.headers.get('idempotent-replayed')).toBe('true');
      expect(operationDetailSchema.parse(settledRetry.body).id).toBe(status.operation_id);
      expect((await messagesPerRecipient(sim, text)).get(drivers[2]!.id)?.sent).toBe(1);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('lost before it reached Catena, is settled as not sent: the retry with the same key sends it once', async () => {
    const proxy = await startDelayingProxy(sim.url);
    const viaProxy = await startConsole({ catenaUrl: proxy.url, dispatch: true, sendTimeoutMs: 800, landingWindowMs: 2_000 });
    try {
      const { connection, dispatcher, drivers } = await fleetOf(viaProxy, 'Northwind Freight');
      const text = `Lost ${randomUUID()}`;
      const body = { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: drivers[3]!.id, message_text: text };
      const key = randomUUID();
      proxy.dropWrites();
      const first = await post(viaProxy, '/api/messages', body, key);
      expect(first.status).toBe(504);
      const { send_id: sendId } = (first.body as { error: { details: { send_id: string } } }).error.details;
      proxy.passThrough();
      await eventually(async () => {
        const s = sendStatusSchema.parse((await json(viaProxy, `/api/sends/${sendId}`)).body);
        expect(s.state).toBe('not_sent');
      }, 15_000);
      const retry = await post(viaProxy, '/api/messages', body, key);
      expect(retry.status).toBe(202);
      expect((await messagesPerRecipient(sim, text)).get(drivers[3]!.id)?.sent).toBe(1);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('against a hung Catena, fails within its deadline naming the step, and sends nothing', async () => {
    const proxy = await startDelayingProxy(sim.url);
    const viaProxy = await startConsole({ catenaUrl: proxy.url, sendTimeoutMs: 800, landingWindowMs: 2_000 });
    try {
      const { connection, dispatcher, drivers } = await fleetOf(viaProxy, 'Northwind Freight');
      // A new console: its directory cache is cold, so the send must ask Catena for the fleet first.
      const cold = await startConsole({ catenaUrl: proxy.url, sendTimeoutMs: 800, landingWindowMs: 2_000 });
      try {
        proxy.holdEverything(10_000);
        const started = Date.now();
        const answer = await post(cold, '/api/messages', {
          connection_id: connection.id,
          sender_id: dispatcher.id,
          recipient_id: drivers[4]!.id,
          message_text: 'Hung',
        });
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(answer).toMatchObject({ status: 504, body: { error: { code: 'send_timed_out' } } });
        expect((answer.body as { error: { message: string } }).error.message).toMatch(/Nothing was sent.*directory/);
      } finally {
        proxy.passThrough();
        await cold.close();
      }
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('serves a stale directory at once while Catena is slow, refreshing it behind the answer', async () => {
    const proxy = await startDelayingProxy(sim.url);
    const viaProxy = await startConsole({ catenaUrl: proxy.url, directoryCacheMs: 200 });
    try {
      const before = connectionListSchema.parse((await json(viaProxy, '/api/connections')).body).items;
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.holdEverything(3_000);
      const started = Date.now();
      const stale = connectionListSchema.parse((await json(viaProxy, '/api/connections')).body).items;
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(stale.map((c) => c.id)).toEqual(before.map((c) => c.id));
      proxy.passThrough();
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('survives kill -9 while a single send is in flight: after the restart the key answers with the one message', async () => {
    const proxy = await startDelayingProxy(sim.url);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-kill-send-'));
    let running = await startConsoleProcess({ catenaUrl: proxy.url, dataDir });
    try {
      const { connection, dispatcher, drivers } = await fleetOf(running, 'Blue Ridge Logistics');
      const text = `Killed mid-send ${randomUUID()}`;
      const body = { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: drivers[0]!.id, message_text: text };
      const key = randomUUID();
      proxy.hold(1_000);
      const arrived = proxy.nextHeldWrite();
      const inFlight = post(running, '/api/messages', body, key).catch(() => null);
      await arrived;
      await running.kill('SIGKILL');
      await inFlight;
      proxy.passThrough();

      running = await startConsoleProcess({ catenaUrl: proxy.url, dataDir, port: running.port });
      const answer = await eventually(
        async () => {
          const r = await post(running, '/api/messages', body, key);
          if (r.status !== 202) throw new Error(`still ${r.status}: ${JSON.stringify(r.body)}`);
          return r;
        },
        20_000,
        300,
      );
      expect(answer.headers.get('idempotent-replayed')).toBe('true');
      expect((await messagesPerRecipient(sim, text)).get(drivers[0]!.id)?.sent).toBe(1);
    } finally {
      await running.kill('SIGKILL');
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("survives kill -9 while a broadcast recipient's request is in flight: each driver gets it once", async () => {
    const proxy = await startDelayingProxy(sim.url);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-kill-broadcast-'));
    let running = await startConsoleProcess({ catenaUrl: proxy.url, dataDir });
    try {
      const { connection, dispatcher, drivers } = await fleetOf(running, 'Blue Ridge Logistics');
      const text = `Killed mid-broadcast ${randomUUID()}`;
      proxy.hold(1_500);
      const arrived = proxy.nextHeldWrite();
      const created = await post(running, '/api/broadcasts', {
        connection_id: connection.id,
        sender_id: dispatcher.id,
        all_drivers: true,
        message_text: text,
      });
      expect(created.status).toBe(202);
      await arrived;
      await running.kill('SIGKILL');
      // The held request reaches Catena only after the console died, and after the restart.
      running = await startConsoleProcess({ catenaUrl: proxy.url, dataDir, port: running.port });
      proxy.passThrough();
      const id = broadcastDetailSchema.parse(created.body).id;
      await eventually(
        async () => {
          const b = await broadcast(running, id);
          if (b.counts.queued > 0) throw new Error(`left: ${b.counts.queued}`);
        },
        30_000,
        300,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const perDriver = await messagesPerRecipient(sim, text);
      expect([...perDriver.keys()].sort()).toEqual(drivers.map((d) => d.id).sort());
      expect([...perDriver.values()].every((c) => c.sent === 1)).toBe(true);
      expect((await catenaOperations(sim)).filter((op) => op.payload.message_text === text)).toHaveLength(drivers.length);
    } finally {
      await running.kill('SIGKILL');
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
