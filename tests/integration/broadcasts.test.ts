import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { broadcastDetailSchema, type BroadcastDetail } from '../../contracts/broadcast-schemas.ts';
import { operationPageSchema } from '../../contracts/operation-schemas.ts';
import { resendBatchDetailSchema } from '../../contracts/resend-batch-schemas.ts';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/database.ts';
import { scalarOf } from '../support/store-queries.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { eventually, postToCatena, startSimulator, type RunningSimulator } from '../support/simulator.ts';
import { fleetOf } from '../support/fleet-directory.ts';

let sim: RunningSimulator;
let consoleServer: RunningConsole;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, subscribe: true, reconcile: false, dispatch: true });
  await consoleServer.subscribed;
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});
afterEach(async () => {
  await sim.reset();
});

async function settled(server: RunningConsole, id: string, timeoutMs = 20_000): Promise<BroadcastDetail> {
  return eventually(async () => {
    const broadcast = broadcastDetailSchema.parse((await json(server, `/api/broadcasts/${id}`)).body);
    if (broadcast.counts.queued + broadcast.counts.pending > 0) throw new Error(`still going: ${JSON.stringify(broadcast.counts)}`);
    return broadcast;
  }, timeoutMs);
}

/** How many operations Catena itself holds with this text, per recipient (read through the reconciler). */
async function sentPerRecipient(server: RunningConsole, text: string) {
  await server.reconciler.runOnce();
  const page = operationPageSchema.parse((await json(server, `/api/operations?limit=500&q=${encodeURIComponent(text)}`)).body);
  const counts = new Map<string, number>();
  for (const op of page.items.filter((o) => o.payload.message_text === text)) {
    const recipient = String(op.payload.recipient_id);
    counts.set(recipient, (counts.get(recipient) ?? 0) + 1);
  }
  return counts;
}

describe('what the console refuses before anything is sent', () => {
  it('names the problem and the field', async () => {
    const blueRidge = await fleetOf(consoleServer, 'Blue Ridge Logistics');
    const summit = await fleetOf(consoleServer, 'Summit Transport');
    const northwind = await fleetOf(consoleServer, 'Northwind Freight');
    const base = {
      connection_id: blueRidge.connection.id,
      sender_id: blueRidge.dispatcher.id,
      recipient_id: blueRidge.drivers[0]!.id,
      message_text: 'Hi',
    };
    const cases: [unknown, number, string, string][] = [
      [
        { ...base, connection_id: summit.connection.id, sender_id: summit.dispatcher.id, recipient_id: summit.drivers[0]!.id },
        422,
        'connection_inactive',
        'connection_id',
      ],
      [{ ...base, sender_id: blueRidge.drivers[1]!.id }, 422, 'sender_not_dispatcher', 'sender_id'],
      [{ ...base, recipient_id: blueRidge.dispatcher.id }, 422, 'recipient_not_driver', 'recipient_id'],
      [{ ...base, recipient_id: northwind.drivers[0]!.id }, 422, 'recipient_not_driver', 'recipient_id'],
      [{ ...base, recipient_id: blueRidge.inactiveDriver!.id }, 422, 'recipient_inactive', 'recipient_id'],
      [{ ...base, message_text: 'x'.repeat(1001) }, 422, 'text_too_long', 'message_text'],
    ];
    for (const [body, status, code, field] of cases) {
      const response = await post(consoleServer, '/api/messages', body);
      expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { error: { code, details: { field } } } });
    }
    const paused = await post(consoleServer, '/api/broadcasts', {
      connection_id: summit.connection.id,
      sender_id: summit.dispatcher.id,
      all_drivers: true,
      message_text: 'Hi',
    });
    expect(paused.body).toMatchObject({ error: { code: 'connection_inactive' } });
    const neither = await post(consoleServer, '/api/broadcasts', {
      connection_id: base.connection_id,
      sender_id: base.sender_id,
      message_text: 'Hi',
    });
    expect(neither.status).toBe(400);
  });
});

describe('a broadcast', () => {
  it('reaches every active driver under flaky_network, and the counts add up', async () => {
    const { connection, dispatcher, drivers } = await fleetOf(consoleServer, 'Blue Ridge Logistics');
    await sim.scenario('flaky_network', connection.id);
    const text = `Weather alert ${randomUUID()}`;
    const response = await post(consoleServer, '/api/broadcasts', {
      connection_id: connection.id,
      sender_id: dispatcher.id,
      all_drivers: true,
      message_text: text,
    });
    expect(response.status).toBe(202);
    const created = broadcastDetailSchema.parse(response.body);
    expect(created.recipient_count).toBe(drivers.length);

    const done = await settled(consoleServer, created.id);
    expect(done.counts).toEqual({ queued: 0, pending: 0, success: drivers.length, failed: 0 });
    expect(done.recipients.every((r) => r.status === 'success' && r.attempt_count >= 3 && r.last_error_type === 'network')).toBe(true);
    expect(new Set(done.recipients.map((r) => r.recipient_id))).toEqual(new Set(drivers.map((d) => d.id)));
  });

  it('fails with auth on expired credentials, and "resend to failed" succeeds once the fleet re-authorised', async () => {
    const { connection, dispatcher, drivers } = await fleetOf(consoleServer, 'Coastal Carriers');
    await sim.scenario('expired_credentials', connection.id);
    const text = `Shift change ${randomUUID()}`;
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
    expect(failed.recipients.every((r) => r.last_error_type === 'auth')).toBe(true);

    await sim.clearScenarios();
    const key = randomUUID();
    const resend = await post(consoleServer, `/api/broadcasts/${created.id}/resend-failed`, {}, key);
    expect(resend.status).toBe(202);
    const batch = resendBatchDetailSchema.parse(resend.body);
    expect(batch.selection).toEqual({ kind: 'broadcast', broadcast_id: created.id });
    expect(batch.will_resend).toBe(drivers.length);
    // The original broadcast shows each recipient's newest state: the resend's.
    expect((await settled(consoleServer, created.id)).counts).toMatchObject({ success: drivers.length, failed: 0 });

    const replay = await post(consoleServer, `/api/broadcasts/${created.id}/resend-failed`, {}, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(resendBatchDetailSchema.parse(replay.body).id).toBe(batch.id);
  });
});

describe('a broadcast’s pace', () => {
  afterEach(async () => {
    await sim.control('PUT', '/settings', { api_rate_limit_per_second: 1000 });
  });

  it('says how fast queued recipients go to Catena, about how long is left, when Catena asks to wait, and nothing once all have gone', async () => {
    // Slow Catena down (a bucket of 2 a second) so the broadcast is still queued while it is looked at, and meets 429s.
    await sim.control('PUT', '/settings', { api_rate_limit_per_second: 2 });
    const { connection, dispatcher } = await fleetOf(consoleServer, 'Northwind Freight');
    const created = broadcastDetailSchema.parse(
      (
        await post(consoleServer, '/api/broadcasts', {
          connection_id: connection.id,
          sender_id: dispatcher.id,
          all_drivers: true,
          message_text: `Pace ${randomUUID()}`,
        })
      ).body,
    );
    expect(created.pace?.queued).toBeGreaterThan(0);

    // Watch it as a broadcast page does, until every recipient has gone to Catena.
    const seen: NonNullable<BroadcastDetail['pace']>[] = [];
    await eventually(async () => {
      const broadcast = broadcastDetailSchema.parse((await json(consoleServer, `/api/broadcasts/${created.id}`)).body);
      if (broadcast.pace) seen.push(broadcast.pace);
      if (broadcast.pace) throw new Error(`still queued: ${JSON.stringify(broadcast.pace)}`);
    }, 30_000);

    const measured = seen.filter((pace) => pace.per_second !== null);
    expect(measured.length).toBeGreaterThan(0);
    for (const pace of measured) expect(pace.seconds_left).toBe(Math.ceil(pace.queued / pace.per_second!));
    // While Catena asks every server to wait, the pace is unknown rather than a stale number.
    expect(seen.filter((pace) => pace.waiting_for_catena).every((pace) => pace.per_second === null)).toBe(true);
    expect(seen.some((pace) => pace.waiting_for_catena)).toBe(true);
    expect((await settled(consoleServer, created.id)).pace).toBeNull();
  });
});

describe('a broadcast interrupted by a restart', () => {
  it('completes after the restart with each recipient sent exactly once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-broadcast-restart-'));
    // Slow Catena down (5 requests/s) so the first console stops with the broadcast half sent.
    await sim.control('PUT', '/settings', { api_rate_limit_per_second: 5 });
    const first = await startConsole({ catenaUrl: sim.url, dataDir, dispatch: true });
    let second: RunningConsole | undefined;
    try {
      const { connection, dispatcher, drivers } = await fleetOf(first, 'Northwind Freight');
      const text = `Yard closes early ${randomUUID()}`;
      const created = broadcastDetailSchema.parse(
        (await post(first, '/api/broadcasts', { connection_id: connection.id, sender_id: dispatcher.id, all_drivers: true, message_text: text }))
          .body,
      );
      await eventually(async () => {
        const sent = await scalarOf(first.database, sql`SELECT COUNT(*) FROM sends WHERE batch_id = ${created.id} AND state = 'submitted'`);
        if (Number(sent) < 2) throw new Error('not started');
      });
      await first.close();
      const stored = await openDatabase({ dataDir });
      const leftAfterStop = await scalarOf(stored, sql`SELECT COUNT(*) FROM sends WHERE state != 'submitted'`);
      await stored.close();
      expect(Number(leftAfterStop)).toBeGreaterThan(0);

      await sim.control('PUT', '/settings', { api_rate_limit_per_second: 1000 });
      second = await startConsole({ catenaUrl: sim.url, dataDir, dispatch: true });
      await eventually(async () => {
        const left = await scalarOf(second!.database, sql`SELECT COUNT(*) FROM sends WHERE batch_id = ${created.id} AND state != 'submitted'`);
        if (Number(left) > 0) throw new Error(`${left} left`);
      }, 20_000);
      const sent = await sentPerRecipient(second, text);
      expect([...sent.keys()].sort()).toEqual(drivers.map((d) => d.id).sort());
      expect([...sent.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await second?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('does not send again a recipient whose request left just before a crash', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'fleetops-broadcast-crash-'));
    const first = await startConsole({ catenaUrl: sim.url, dataDir, dispatch: false, landingWindowMs: 1_500, sendTimeoutMs: 1_000 });
    let second: RunningConsole | undefined;
    try {
      const { connection, dispatcher, drivers } = await fleetOf(first, 'Prairie Haulers');
      const [reached, notReached] = drivers;
      const text = `Crash window ${randomUUID()}`;
      // The broadcast is recorded, then one request reaches Catena and the process "dies" before recording the answer.
      const id = await first.broadcasts.create({
        connection_id: connection.id,
        connection_name: connection.name,
        tsp: connection.tsp,
        sender_id: dispatcher.id,
        sender_name: dispatcher.name,
        message_text: text,
        priority: null,
        all_drivers: false,
        recipients: [reached!, notReached!].map((d) => ({ id: d.id, name: d.name })),
        resend_of: null,
        created_by: null,
      });
      const claimed = await first.sends.claimNext();
      expect(claimed?.recipient_id).toBe(reached!.id);
      expect(await postToCatena(sim, { connection_id: connection.id, sender_id: dispatcher.id, recipient_id: reached!.id, message_text: text })).toBe(
        202,
      );
      await first.close();

      second = await startConsole({ catenaUrl: sim.url, dataDir, dispatch: true, landingWindowMs: 1_500, sendTimeoutMs: 1_000 });
      await eventually(async () => {
        const left = await scalarOf(second!.database, sql`SELECT COUNT(*) FROM sends WHERE batch_id = ${id} AND state != 'submitted'`);
        if (Number(left) > 0) throw new Error(`${left} left`);
      });
      const sent = await sentPerRecipient(second, text);
      expect(sent.get(reached!.id)).toBe(1);
      expect(sent.get(notReached!.id)).toBe(1);
    } finally {
      await second?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
