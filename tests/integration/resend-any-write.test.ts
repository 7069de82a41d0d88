import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionListSchema } from '../../contracts/directory-schemas.ts';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import { resendBatchDetailSchema, resendPreviewSchema } from '../../contracts/resend-batch-schemas.ts';
import { sendStatusSchema } from '../../contracts/send-schemas.ts';
import { writeCases } from '../../simulator/test-support/write-bodies.ts';
import { json, post } from '../support/console-api.ts';
import { startConsole, type RunningConsole } from '../support/console-server.ts';
import { startDelayingProxy } from '../support/delaying-proxy.ts';
import { partnerSystem } from '../support/partner-system.ts';
import { catenaOperations, eventually, startSimulator, type RunningSimulator } from '../support/simulator.ts';

type Json = Record<string, unknown>;

let sim: RunningSimulator;
let consoleServer: RunningConsole;
let partner: ReturnType<typeof partnerSystem>;

beforeAll(async () => {
  sim = await startSimulator();
  consoleServer = await startConsole({ catenaUrl: sim.url, subscribe: true, dispatch: true });
  await consoleServer.subscribed;
  partner = partnerSystem(sim.url);
});
afterAll(async () => {
  await consoleServer?.close();
  await sim?.close();
});
afterEach(async () => {
  await sim.reset();
});

async function final(server: RunningConsole, id: string): Promise<OperationDetail> {
  return eventually(async () => {
    const op = operationDetailSchema.parse((await json(server, `/api/operations/${id}`)).body);
    if (op.status === 'pending') throw new Error(`${id} pending`);
    return op;
  }, 20_000);
}

/** Every write of another system on Coastal Carriers, failed on expired credentials, then the fleet re-authorised. */
async function failedWritesOfEveryKind(server: RunningConsole) {
  const { items } = connectionListSchema.parse((await json(server, '/api/connections')).body);
  const coastal = items.find((c) => c.name === 'Coastal Carriers')!;
  await sim.scenario('expired_credentials', coastal.id);
  const failed: { name: string; op: OperationDetail }[] = [];
  for (const write of await writeCases(partner, coastal.id)) {
    const accepted = await partner.api<Json>(write.path, { method: write.method, json: write.body });
    expect(accepted.status).toBe(202);
    failed.push({ name: write.name, op: await final(server, String(accepted.body['id'])) });
  }
  expect(failed.every((f) => f.op.status === 'failed' && f.op.last_error_type === 'auth')).toBe(true);
  await sim.clearScenarios();
  return { coastal, failed };
}

/** How many operations Catena holds that write this record (or, for creates, this resource on this connection) this way. */
async function atCatena(op: OperationDetail) {
  return (await catenaOperations(sim)).filter(
    (o) =>
      (o as unknown as Json)['resource'] === op.resource &&
      (o as unknown as Json)['connection_id'] === op.connection_id &&
      (o as unknown as Json)['operation_type'] === op.operation_type &&
      (op.operation_type === 'update' ? (o as unknown as Json)['resource_id'] === op.resource_id : true),
  ).length;
}

describe('resending any Catena write', () => {
  it('a failed vehicle update resent ten times at once makes one update at Catena, and the drawer then says it was resent', async () => {
    const { failed } = await failedWritesOfEveryKind(consoleServer);
    const update = failed.find((f) => f.name === 'vehicle update')!.op;
    expect(update.resend?.verdict).toBe('resendable');
    const before = await atCatena(update);

    const answers = await Promise.all(Array.from({ length: 10 }, () => post(consoleServer, `/api/operations/${update.id}/resend`)));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    const resent = operationDetailSchema.parse(answers.find((a) => a.status === 202)!.body);
    expect(resent).toMatchObject({ resource: 'vehicle', operation_type: 'update', resource_id: update.resource_id, resend_of: update.id });
    expect((await final(consoleServer, resent.id)).status).toBe('success');
    expect(await atCatena(update)).toBe(before + 1);

    const drawer = operationDetailSchema.parse((await json(consoleServer, `/api/operations/${update.id}`)).body);
    expect(drawer.resend).toMatchObject({ verdict: 'already_resent', newer_operation_id: resent.id });
  });

  it("a bulk resend of a connection's failures sends every kind of write again, each once", async () => {
    const since = new Date().toISOString();
    const { coastal, failed } = await failedWritesOfEveryKind(consoleServer);
    const filter = { connection_id: [coastal.id], status: ['failed'], from: since };
    const preview = resendPreviewSchema.parse((await post(consoleServer, '/api/resend-batches', { filter, dry_run: true })).body);
    expect(preview).toMatchObject({ selected: failed.length, will_resend: failed.length });
    const before = new Map(await Promise.all(failed.map(async (f) => [f.name, await atCatena(f.op)] as const)));

    const batch = resendBatchDetailSchema.parse((await post(consoleServer, '/api/resend-batches', { filter })).body);
    const done = await eventually(async () => {
      const b = resendBatchDetailSchema.parse((await json(consoleServer, `/api/resend-batches/${batch.id}`)).body);
      if (!b.finished || b.counts.pending > 0) throw new Error(JSON.stringify(b.counts));
      return b;
    }, 30_000);
    expect(done.counts.success).toBe(failed.length);
    expect(done.items.find((i) => i.message_text.startsWith('Update of vehicle'))).toBeDefined();
    for (const f of failed) expect({ write: f.name, at: await atCatena(f.op) }).toEqual({ write: f.name, at: (before.get(f.name) ?? 0) + 1 });
    expect(resendPreviewSchema.parse((await post(consoleServer, '/api/resend-batches', { filter, dry_run: true })).body).will_resend).toBe(0);
  });

  it("a trailer update whose answer was lost is settled against Catena's list: the same key answers with it, one update at Catena", async () => {
    const proxy = await startDelayingProxy(sim.url);
    const viaProxy = await startConsole({ catenaUrl: proxy.url, subscribe: true, dispatch: true, sendTimeoutMs: 800, landingWindowMs: 3_000 });
    try {
      await viaProxy.subscribed;
      const { failed } = await failedWritesOfEveryKind(viaProxy);
      const update = failed.find((f) => f.name === 'trailer update')!.op;
      const before = await atCatena(update);
      const key = randomUUID();
      proxy.hold(1_500);
      const first = await post(viaProxy, `/api/operations/${update.id}/resend`, {}, key);
      expect(first).toMatchObject({ status: 504, body: { error: { code: 'send_in_doubt' } } });
      proxy.passThrough();
      const { send_id: sendId } = (first.body as { error: { details: { send_id: string } } }).error.details;
      expect((await post(viaProxy, `/api/operations/${update.id}/resend`, {}, randomUUID())).status).toBe(409);
      const settled = await eventually(async () => {
        const s = sendStatusSchema.parse((await json(viaProxy, `/api/sends/${sendId}`)).body);
        if (s.state === 'in_doubt') throw new Error('in doubt');
        return s;
      }, 15_000);
      expect(settled.state).toBe('sent');
      const retry = await post(viaProxy, `/api/operations/${update.id}/resend`, {}, key);
      expect(retry.status).toBe(202);
      expect(operationDetailSchema.parse(retry.body).id).toBe(settled.operation_id);
      expect(await atCatena(update)).toBe(before + 1);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });
});
