import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CursorPage } from '../http/cursor-page.ts';
import type { OperationRead } from '../operations/operation-views.ts';
import { startSimulator, waitFor, type SimHarness } from '../test-support/sim-harness.ts';

interface User {
  id: string;
  first_name: string;
  last_name: string;
  is_driver: boolean;
  is_active: boolean;
  source_id: string;
}

let h: SimHarness;

beforeAll(async () => {
  h = await startSimulator({ timeScale: 0.02, seedHistory: false });
});
afterAll(() => h.close());
// Each test sets the scenarios it needs; the seeded expired_credentials on Coastal comes back with reset.
beforeEach(async () => {
  await h.call('/_sim/reset', { method: 'POST' });
});

async function people(connectionId: string) {
  const page = await h.api<CursorPage<User>>(`/v2/telematics/users?connection_id=${connectionId}&size=1000`);
  const users = page.body.items;
  const dispatcher = users.find((u) => !u.is_driver);
  const driver = users.find((u) => u.is_driver && u.is_active);
  const inactive = users.find((u) => u.is_driver && !u.is_active);
  if (!dispatcher || !driver) throw new Error('seed has no dispatcher/driver');
  return { dispatcher, driver, inactive, users };
}

async function send(connectionId: string, overrides: Record<string, unknown> = {}, query = '') {
  const { dispatcher, driver } = await people(connectionId);
  return h.api<OperationRead>(`/v2/telematics/messages${query}`, {
    json: {
      connection_id: connectionId,
      sender_id: dispatcher.id,
      recipient_id: driver.id,
      message_text: 'Load 4471 is ready at dock 12.',
      ...overrides,
    },
  });
}

function getOp(connectionId: string, id: string) {
  return h.api<OperationRead>(`/v2/integrations/connections/${connectionId}/resource-operations/${id}`);
}

async function settled(connectionId: string, id: string): Promise<OperationRead> {
  return waitFor(async () => {
    const { body } = await getOp(connectionId, id);
    return body.status === 'pending' ? undefined : body;
  }, `operation ${id} to finish`);
}

describe('POST /v2/telematics/messages (async)', () => {
  it('answers 202 with a pending operation, then succeeds with one success log', async () => {
    const northwind = await h.connection('Northwind Freight');
    const { dispatcher, driver } = await people(northwind.id);
    const created = await send(northwind.id, { priority: 'high' });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      status: 'pending',
      resource: 'message',
      operation_type: 'create',
      connection_id: northwind.id,
      partner_id: (await h.state()).partner_id,
      resource_id: null,
      source_id: null,
      deleted_at: null,
      logs: [],
      payload: {
        connection_id: northwind.id,
        sender_id: dispatcher.id,
        recipient_id: driver.id,
        priority: 'high',
        reply_to_message_id: null,
        source_sender_id: dispatcher.source_id,
        source_recipient_id: driver.source_id,
        source_reply_to_message_id: null,
      },
    });

    const done = await settled(northwind.id, created.body.id);
    expect(done.status).toBe('success');
    expect(done.source_name).toBe('samsara');
    expect(done.fleet_ref).toBe('NWF-1042');
    expect(done.resource_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(done.source_id).toMatch(/^\d{15}$/);
    expect(done.logs).toHaveLength(1);
    expect(done.logs[0]).toMatchObject({
      status: 'success',
      error_type: null,
      error_details: null,
      response_status_code: 200,
      resource_operation_id: done.id,
    });
    expect(Date.parse(done.updated_at)).toBeGreaterThanOrEqual(Date.parse(done.created_at));
  });

  it('fails at once with exactly one auth log on the connection with expired credentials', async () => {
    const state = await h.state();
    const expired = state.scenarios.find((s) => s.scenario === 'expired_credentials');
    expect(expired?.connection_id).toBeTruthy();
    const connectionId = expired?.connection_id as string;
    const created = await send(connectionId);
    expect(created.status).toBe(202);
    const done = await settled(connectionId, created.body.id);
    expect(done.status).toBe('failed');
    expect(done.logs).toHaveLength(1);
    expect(done.logs[0]).toMatchObject({ status: 'failed', error_type: 'auth', response_status_code: 401 });
    expect(done.resource_id).toBeNull();
  });

  it('retries flaky_network: two network logs, then success', async () => {
    const prairie = await h.connection('Prairie Haulers');
    await h.call('/_sim/scenarios', { json: { scenario: 'flaky_network', connection_id: prairie.id } });
    const created = await send(prairie.id);
    const done = await settled(prairie.id, created.body.id);
    expect(done.status).toBe('success');
    expect(done.logs.map((l) => [l.status, l.error_type])).toEqual([
      ['failed', 'network'],
      ['failed', 'network'],
      ['success', null],
    ]);
    expect(done.logs[0]?.response_status_code).toBeNull();
    // Backoff of 1 s × 0.02 between the first two attempts, at least.
    expect(Date.parse(done.logs[1]?.created_at ?? '') - Date.parse(done.logs[0]?.created_at ?? '')).toBeGreaterThanOrEqual(20);
  });

  it('gives up after 5 tsp failures during an outage, staying pending in between', async () => {
    const blueRidge = await h.connection('Blue Ridge Logistics');
    await h.call('/_sim/scenarios', { json: { scenario: 'outage', tsp: 'motive' } });
    const created = await send(blueRidge.id);
    // Between attempts (backoff ≥ 20 ms) the operation has failed logs but is still pending.
    const between = await waitFor(
      async () => {
        const { body } = await getOp(blueRidge.id, created.body.id);
        return body.logs.length >= 1 && body.logs.length < 5 ? body : undefined;
      },
      'a first failed attempt',
      10_000,
      2,
    );
    expect(between.status).toBe('pending');
    const done = await settled(blueRidge.id, created.body.id);
    expect(done.status).toBe('failed');
    expect(done.logs).toHaveLength(5);
    for (const log of done.logs) expect(log).toMatchObject({ status: 'failed', error_type: 'tsp', response_status_code: 503 });
  });

  it('heals when the outage ends while retries are pending', async () => {
    // Slower here (backoff 200 ms, 400 ms …) so a loaded machine switches the outage off in time.
    await h.call('/_sim/settings', { method: 'PUT', json: { time_scale: 0.2 } });
    const northwind = await h.connection('Northwind Freight');
    const outage = await h.call<{ id: string }>('/_sim/scenarios', { json: { scenario: 'outage', connection_id: northwind.id } });
    const created = await send(northwind.id);
    await waitFor(async () => ((await getOp(northwind.id, created.body.id)).body.logs.length >= 1 ? true : undefined), 'first attempt', 10_000, 2);
    expect((await h.call(`/_sim/scenarios/${outage.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const done = await settled(northwind.id, created.body.id);
    expect(done.status).toBe('success');
    expect(done.logs.at(-1)?.status).toBe('success');
    expect(done.logs.length).toBeLessThan(5);
  });

  it('slow makes attempts about five times longer', async () => {
    await h.call('/_sim/settings', { method: 'PUT', json: { time_scale: 0.1 } });
    const northwind = await h.connection('Northwind Freight');
    const normal = await settled(northwind.id, (await send(northwind.id)).body.id);
    await h.call('/_sim/scenarios', { json: { scenario: 'slow', connection_id: northwind.id } });
    const slow = await settled(northwind.id, (await send(northwind.id)).body.id);
    const took = (op: OperationRead) => Date.parse(op.updated_at) - Date.parse(op.created_at);
    // samsara: 300 ms × 0.1 × (0.7…1.3) ≈ 21–39 ms; slow ≈ 105–195 ms.
    expect(took(slow)).toBeGreaterThanOrEqual(100);
    expect(took(slow)).toBeGreaterThan(took(normal));
  });

  it('never fails work for the TSP rate limit: a burst over it all succeeds', async () => {
    const prairie = await h.connection('Prairie Haulers');
    const created = await Promise.all(Array.from({ length: 12 }, () => send(prairie.id)));
    expect(created.every((r) => r.status === 202)).toBe(true);
    const done = await Promise.all(created.map((r) => settled(prairie.id, r.body.id)));
    expect(done.every((op) => op.status === 'success' && op.logs.length === 1)).toBe(true);
  });
});

describe('validation failures are failed operations, not 422s', () => {
  it('unknown recipient: validation naming recipient_id, source_recipient_id null', async () => {
    const northwind = await h.connection('Northwind Freight');
    const created = await send(northwind.id, { recipient_id: '00000000-0000-4000-8000-000000000000' });
    expect(created.status).toBe(202);
    expect(created.body.payload['source_recipient_id']).toBeNull();
    const done = await settled(northwind.id, created.body.id);
    expect(done.status).toBe('failed');
    expect(done.logs).toHaveLength(1);
    expect(done.logs[0]?.error_type).toBe('validation');
    expect(done.logs[0]?.error_details).toContain('recipient_id');
  });

  it('a user of another connection is unknown on this one', async () => {
    const northwind = await h.connection('Northwind Freight');
    const blueRidge = await h.connection('Blue Ridge Logistics');
    const other = await people(blueRidge.id);
    const done = await settled(northwind.id, (await send(northwind.id, { sender_id: other.dispatcher.id })).body.id);
    expect(done.logs[0]).toMatchObject({ error_type: 'validation' });
    expect(done.logs[0]?.error_details).toContain('sender_id');
  });

  it('text longer than the TSP limit: validation naming message_text', async () => {
    const blueRidge = await h.connection('Blue Ridge Logistics');
    const done = await settled(blueRidge.id, (await send(blueRidge.id, { message_text: 'x'.repeat(1001) })).body.id);
    expect(done.status).toBe('failed');
    expect(done.logs).toHaveLength(1);
    expect(done.logs[0]?.error_type).toBe('validation');
    expect(done.logs[0]?.error_details).toContain('message_text');
    expect(done.logs[0]?.error_details).toContain('1,000');
    // samsara allows 2,500: the same text succeeds there.
    const northwind = await h.connection('Northwind Freight');
    const ok = await settled(northwind.id, (await send(northwind.id, { message_text: 'x'.repeat(2500) })).body.id);
    expect(ok.status).toBe('success');
  });

  it('inactive recipient and empty text are validation failures', async () => {
    const northwind = await h.connection('Northwind Freight');
    const { inactive } = await people(northwind.id);
    expect(inactive).toBeDefined();
    const toInactive = await settled(northwind.id, (await send(northwind.id, { recipient_id: inactive?.id })).body.id);
    expect(toInactive.logs[0]).toMatchObject({ error_type: 'validation' });
    expect(toInactive.logs[0]?.error_details).toContain('recipient_id');
    const empty = await settled(northwind.id, (await send(northwind.id, { message_text: '   ' })).body.id);
    expect(empty.logs[0]).toMatchObject({ error_type: 'validation' });
    expect(empty.logs[0]?.error_details).toContain('message_text');
  });

  it('a paused connection fails with auth without calling the TSP', async () => {
    const summit = await h.connection('Summit Transport');
    expect(summit.status).toBe('paused');
    const done = await settled(summit.id, (await send(summit.id)).body.id);
    expect(done.status).toBe('failed');
    expect(done.logs).toHaveLength(1);
    expect(done.logs[0]).toMatchObject({ error_type: 'auth', response_status_code: null });
  });

  it('resolves reply_to_message_id to the TSP id of the message replied to', async () => {
    const northwind = await h.connection('Northwind Freight');
    const first = await settled(northwind.id, (await send(northwind.id)).body.id);
    const { dispatcher, driver } = await people(northwind.id);
    const reply = await h.api<OperationRead>('/v2/telematics/messages', {
      json: {
        connection_id: northwind.id,
        sender_id: driver.id,
        recipient_id: dispatcher.id,
        message_text: 'Copy that',
        reply_to_message_id: first.resource_id,
      },
    });
    expect(reply.body.payload).toMatchObject({ reply_to_message_id: first.resource_id, source_reply_to_message_id: first.source_id });
  });
});

describe('POST /v2/telematics/messages?is_sync=true', () => {
  it('answers 200 with a finished successful operation', async () => {
    const northwind = await h.connection('Northwind Freight');
    const result = await send(northwind.id, {}, '?is_sync=true');
    expect(result.status).toBe(200);
    expect(result.body.status).toBe('success');
    expect(result.body.resource_id).not.toBeNull();
    expect(result.body.logs).toHaveLength(1);
  });

  it('answers 502 with the failed operation and its single log, without retrying', async () => {
    const coastal = await h.connection('Coastal Carriers');
    const result = await send(coastal.id, {}, '?is_sync=true');
    expect(result.status).toBe(502);
    expect(result.body.status).toBe('failed');
    expect(result.body.logs).toHaveLength(1);
    expect(result.body.logs[0]?.error_type).toBe('auth');

    const prairie = await h.connection('Prairie Haulers');
    await h.call('/_sim/scenarios', { json: { scenario: 'flaky_network', connection_id: prairie.id } });
    const flaky = await send(prairie.id, {}, '?is_sync=1');
    expect(flaky.status).toBe(502);
    expect(flaky.body.logs).toHaveLength(1);
    expect(flaky.body.logs[0]?.error_type).toBe('network');
    // Sync operations are operations too: they show in reads.
    expect((await getOp(prairie.id, flaky.body.id)).body.status).toBe('failed');
  });
});

describe('request errors', () => {
  it('422 for bodies that break MessageCreate, with a detail per problem', async () => {
    const northwind = await h.connection('Northwind Freight');
    const cases: { body: string; contentType?: string; paths: string[] }[] = [
      { body: '{"sender_id":"a"', paths: ['body'] },
      { body: 'null', paths: ['body'] },
      { body: '[]', paths: ['body'] },
      { body: '{}', paths: ['body.connection_id', 'body.sender_id', 'body.recipient_id'] },
      { body: JSON.stringify({ connection_id: 'not-a-uuid', sender_id: northwind.id, recipient_id: northwind.id }), paths: ['body.connection_id'] },
      {
        body: JSON.stringify({ connection_id: northwind.id, sender_id: northwind.id, recipient_id: northwind.id, priority: 'urgent' }),
        paths: ['body.priority'],
      },
      {
        body: JSON.stringify({ connection_id: northwind.id, sender_id: northwind.id, recipient_id: northwind.id, message_text: 42 }),
        paths: ['body.message_text'],
      },
      { body: 'connection_id=x', contentType: 'application/x-www-form-urlencoded', paths: ['body'] },
    ];
    for (const c of cases) {
      const result = await h.api<{ code: number; message: string; detail: { path: string; input: string; message: string; error_type: string }[] }>(
        '/v2/telematics/messages',
        { raw: c.body, contentType: c.contentType ?? 'application/json' },
      );
      expect({ body: c.body, status: result.status }).toEqual({ body: c.body, status: 422 });
      expect(result.body.code).toBe(422);
      expect(result.body.message).toBe('Invalid Request Body');
      expect(result.body.detail.map((d) => d.path)).toEqual(c.paths);
      for (const d of result.body.detail) expect(typeof d.input).toBe('string');
    }
    const missing = await h.api<{ detail: { path: string; error_type: string }[] }>('/v2/telematics/messages', { json: {} });
    expect(missing.body.detail[0]?.error_type).toBe('missing');
  });

  it('422 for a bad is_sync value', async () => {
    const northwind = await h.connection('Northwind Freight');
    const result = await send(northwind.id, {}, '?is_sync=maybe');
    expect(result.status).toBe(422);
    expect(result.text).toContain('query.is_sync');
  });

  it('404 for an unknown connection', async () => {
    const northwind = await h.connection('Northwind Freight');
    const { dispatcher, driver } = await people(northwind.id);
    const result = await h.api<{ code: number; message: string; detail: string }>('/v2/telematics/messages', {
      json: { connection_id: '11111111-1111-4111-8111-111111111111', sender_id: dispatcher.id, recipient_id: driver.id, message_text: 'hi' },
    });
    expect(result.status).toBe(404);
    expect(result.body).toEqual({ code: 404, message: 'Not Found', detail: expect.stringContaining('11111111-1111-4111-8111-111111111111') });
  });
});
