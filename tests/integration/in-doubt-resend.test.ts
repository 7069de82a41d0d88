import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionListSchema, directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import { sendStatusSchema } from '../../contracts/send-schemas.ts';
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
  c = await startConsole({ catenaUrl: proxy.url, subscribe: true, dispatch: true, sendTimeoutMs: 800, landingWindowMs: 3_000 });
  await c.subscribed;
});
afterAll(async () => {
  await c?.close();
  await proxy?.close();
  await sim?.close();
});

async function final(id: string): Promise<OperationDetail> {
  return eventually(async () => {
    const op = operationDetailSchema.parse((await json(c, `/api/operations/${id}`)).body);
    if (op.status === 'pending') throw new Error('pending');
    return op;
  }, 20_000);
}

async function partnerFailedMessage(text: string) {
  const { items } = connectionListSchema.parse((await json(c, '/api/connections')).body);
  const conn = items.find((x) => x.name === 'Coastal Carriers')!;
  const users = directoryUserListSchema.parse((await json(c, `/api/users?connection_id=${conn.id}`)).body).items;
  const dispatcher = users.find((u) => u.role === 'dispatcher')!;
  const driver = users.find((u) => u.role === 'driver' && u.is_active)!;
  await sim.scenario('expired_credentials', conn.id);
  const partner = partnerSystem(sim.url);
  const r = await partner.api<{ id: string }>('/v2/telematics/messages', {
    method: 'POST',
    json: { connection_id: conn.id, sender_id: dispatcher.id, recipient_id: driver.id, message_text: text },
  });
  expect(r.status).toBe(202);
  const failed = await final(String(r.body.id));
  expect(failed.status).toBe('failed');
  await sim.clearScenarios();
  return { failed, driver };
}

async function settle(sendId: string) {
  return eventually(async () => {
    const s = sendStatusSchema.parse((await json(c, `/api/sends/${sendId}`)).body);
    if (s.state === 'in_doubt') throw new Error('in doubt');
    return s;
  }, 15_000);
}

describe('a resend in doubt is settled against its own answer, never the operation it resends', () => {
  it('landed: settled as the new operation, and the chain refuses a second resend', async () => {
    const text = `Landed ${randomUUID()}`;
    const { failed, driver } = await partnerFailedMessage(text);
    proxy.hold(1_500);
    const first = await post(c, `/api/operations/${failed.id}/resend`, {});
    expect(first.status).toBe(504);
    proxy.passThrough();
    const { send_id } = (first.body as { error: { details: { send_id: string } } }).error.details;
    const s = await settle(send_id);
    await eventually(async () => expect((await messagesPerRecipient(sim, text)).get(driver.id)?.sent).toBe(2), 5_000);
    expect(s.state).toBe('sent');
    expect(s.operation_id).not.toBe(failed.id);
    const drawer = operationDetailSchema.parse((await json(c, `/api/operations/${failed.id}`)).body);
    expect(drawer.resend).toMatchObject({ verdict: 'already_resent', newer_operation_id: s.operation_id });
    expect((await post(c, `/api/operations/${failed.id}/resend`, {})).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await messagesPerRecipient(sim, text)).get(driver.id)?.sent).toBe(2);
  });

  it('never reached Catena: settled as not sent, and the same key then sends it once', async () => {
    const text = `Dropped ${randomUUID()}`;
    const { failed, driver } = await partnerFailedMessage(text);
    proxy.dropWrites();
    const key = randomUUID();
    const first = await post(c, `/api/operations/${failed.id}/resend`, {}, key);
    expect(first.status).toBe(504);
    proxy.passThrough();
    const { send_id } = (first.body as { error: { details: { send_id: string } } }).error.details;
    const s = await settle(send_id);
    expect(s.state).toBe('not_sent');
    const retry = await post(c, `/api/operations/${failed.id}/resend`, {}, key);
    expect(retry.status).toBe(202);
    await eventually(async () => expect((await messagesPerRecipient(sim, text)).get(driver.id)?.sent).toBe(2), 5_000);
  });
});
