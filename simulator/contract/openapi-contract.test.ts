import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, waitFor, type HttpResult, type SimHarness } from '../test-support/sim-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.ts';
import { writeCases } from '../test-support/write-bodies.ts';
import { createContractValidator, unknownKeys, type ContractDoc, type ContractValidator } from './openapi-validator.ts';

/**
 * Contract tests: real simulator answers, over HTTP, validated against Catena's OpenAPI schemas.
 * A failure here means the console would be built against a Catena that does not exist.
 */

type Json = Record<string, unknown>;
type Page = { items: Json[]; next_page: string | null };

let v: ContractValidator;
let h: SimHarness;
let limited: SimHarness;
let receiver: WebhookReceiver;

function expectValid(doc: ContractDoc, name: string, data: unknown): void {
  expect({ schema: `${doc}:${name}`, errors: v.errors(doc, name, data) }).toEqual({ schema: `${doc}:${name}`, errors: [] });
}

function expectOnlyKnownKeys(data: unknown, ...schemas: [ContractDoc, string][]): void {
  expect(unknownKeys(data, ...schemas.map(([doc, name]) => v.schema(doc, name)))).toEqual([]);
}

/** UserRead is only an excerpt (field list, required list, a note on types): build its schema from it. */
function userReadSchema(): Json {
  const excerpt = JSON.parse(readFileSync(new URL('./openapi/excerpt-telematics-userread-fields.json', import.meta.url), 'utf8')) as {
    UserRead: { fields: string[]; required: string[] };
  };
  const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
  const uuid = { type: 'string', format: 'uuid' };
  const dateTime = { type: 'string', format: 'date-time' };
  const object = { type: 'object' };
  const types: Record<string, Json> = {
    id: uuid,
    connection_id: uuid,
    created_at: dateTime,
    updated_at: dateTime,
    source_name: { $ref: '#/components/schemas/TspEnum' },
    source_data: object,
    source_id: { type: 'string' },
    source_data_hash: { type: 'string', maxLength: 64 },
    ...Object.fromEntries(['fleet_id', 'tsp_id', 'execution_id', 'schedule_id'].map((f) => [f, nullable(uuid)])),
    ...Object.fromEntries(['extras', 'company_groups', 'private_user_groups', 'report_groups', 'security_groups'].map((f) => [f, nullable(object)])),
    ...Object.fromEntries(['started_at', 'ended_at', 'last_tsp_login', 'occurred_at', 'deleted_at'].map((f) => [f, nullable(dateTime)])),
    license_expiration: nullable({ type: 'string', format: 'date' }),
    ...Object.fromEntries(
      ['is_active', 'is_driver', 'allow_yard_move', 'allow_personal_conveyance', 'allow_adverse_driving'].map((f) => [
        f,
        nullable({ type: 'boolean' }),
      ]),
    ),
  };
  const properties = Object.fromEntries(excerpt.UserRead.fields.map((field) => [field, types[field] ?? nullable({ type: 'string' })]));
  // Required: Catena's required list — and, as the simulator promises, every documented field, nothing else.
  return {
    type: 'object',
    properties,
    required: excerpt.UserRead.fields,
    additionalProperties: false,
    'x-catena-required': excerpt.UserRead.required,
  };
}

/** Catena's cursor page envelope around any item schema. */
function pageOf(itemRef: string): Json {
  const cursor = { anyOf: [{ type: 'string' }, { type: 'null' }] };
  return {
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: { $ref: itemRef } },
      current_page: cursor,
      current_page_backwards: cursor,
      previous_page: cursor,
      next_page: cursor,
    },
    additionalProperties: false,
  };
}

beforeAll(async () => {
  v = createContractValidator();
  v.add('telematics', 'UserRead', userReadSchema());
  v.add('telematics', 'UserPage', pageOf('#/components/schemas/UserRead'));
  v.add('notifications', 'WebhookPage', pageOf('#/components/schemas/WebhookRead'));
  h = await startSimulator({ seedHistory: true, timeScale: 0.02 });
  limited = await startSimulator({ seedHistory: false, apiRateLimitPerSecond: 1 });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await Promise.all([h.close(), limited.close(), receiver.close()]);
});

async function people(connectionId: string) {
  const users = (await h.api<Page>(`/v2/telematics/users?connection_id=${connectionId}`)).body.items;
  return {
    sender: users.find((u) => u['is_driver'] === false)?.['id'],
    recipient: users.find((u) => u['is_driver'] === true && u['is_active'] === true)?.['id'],
  };
}

describe('the contract harness itself', () => {
  it('rejects deliberately broken objects (so a pass means something)', async () => {
    const connection = (await h.api<Json>(`/v2/integrations/connections/${(await h.connection('Northwind Freight')).id}`)).body;
    expectValid('integrations', 'ConnectionRead', connection);
    const { credentials: _dropped, ...withoutCredentials } = connection;
    expect(v.errors('integrations', 'ConnectionRead', withoutCredentials).join()).toContain('credentials');
    expect(v.errors('integrations', 'ConnectionRead', { ...connection, id: 'not-a-uuid' }).join()).toContain('uuid');
    expect(v.errors('integrations', 'ConnectionRead', { ...connection, source_name: 'not_a_tsp' })).not.toEqual([]);
    expect(v.errors('integrations', 'ResourceOperationRead', { id: 'x' })).not.toEqual([]);
    expect(v.errors('telematics', 'UserRead', { id: 'x' })).not.toEqual([]);
    expect(v.errors('notifications', 'ResourceOperationFailed', { version: '1', data: [], webhook_id: 'x' })).not.toEqual([]);
    expect(unknownKeys({ ...connection, nickname: 'x' }, v.schema('integrations', 'ConnectionRead'))).toEqual(['nickname']);

    // Nested refs are checked too: a bad log inside an operation, a bad item inside an event envelope.
    const op = (await h.api<Page>('/v2/integrations/connections/resource-operations?size=1')).body.items[0] as Json;
    expectValid('integrations', 'ResourceOperationRead', op);
    const badLog = { ...op, logs: [{ ...(op['logs'] as Json[])[0], status: 'exploded', error_type: 'gremlins' }] };
    expect(v.errors('integrations', 'ResourceOperationRead', badLog).join()).toContain('/logs/0/status');
    const envelope = {
      version: '1.0',
      event_name: 'resource_operation.failed',
      webhook_id: op['id'],
      timestamp: op['created_at'],
      id: op['id'],
      delivery_attempt: 1,
      data: [op],
    };
    expectValid('notifications', 'ResourceOperationFailed', envelope);
    expect(v.errors('notifications', 'ResourceOperationFailed', { ...envelope, event_name: 'resource_operation.succeeded' })).not.toEqual([]);
    expect(v.errors('notifications', 'ResourceOperationFailed', { ...envelope, data: [{ ...op, resource: 'spaceship' }] }).join()).toContain(
      '/data/0/resource',
    );
  });
});

describe('authentication', () => {
  it('token 200 is a TokenResponse; 401 is an ErrorResponse', async () => {
    const ok = await h.call('/realms/catena/protocol/openid-connect/token', {
      raw: 'grant_type=client_credentials&client_id=fleetops-demo&client_secret=fleetops-demo-secret&scope=organization',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(ok.status).toBe(200);
    expectValid('auth', 'TokenResponse', ok.body);
    expectOnlyKnownKeys(ok.body, ['auth', 'TokenResponse']);
    const bad = await h.call('/realms/catena/protocol/openid-connect/token', {
      raw: 'grant_type=client_credentials&client_id=fleetops-demo&client_secret=nope',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(bad.status).toBe(401);
    expectValid('auth', 'ErrorResponse', bad.body);
  });
});

describe('directory reads', () => {
  it('connections: cursor page and ConnectionRead with the TSP credential shape', async () => {
    const page = await h.api<Page>('/v2/integrations/connections?size=2');
    expect(page.status).toBe(200);
    expectValid('integrations', '_CursorPage_TypeVar_Customized_ConnectionRead_', page.body);
    const all = (await h.api<Page>('/v2/integrations/connections')).body.items;
    const credentialSchema: Record<string, string> = { samsara: 'SamsaraCreds-Output', motive: 'MotiveCreds-Output', geotab: 'GeotabCreds-Output' };
    for (const connection of all) {
      expectValid('integrations', 'ConnectionRead', connection);
      expectOnlyKnownKeys(connection, ['integrations', 'ConnectionRead']);
      const schema = credentialSchema[String(connection['source_name'])] as string;
      expectValid('integrations', schema, connection['credentials']);
      expectOnlyKnownKeys(connection['credentials'], ['integrations', schema]);
    }
    const one = await h.api(`/v2/integrations/connections/${String(all[0]?.['id'])}`);
    expectValid('integrations', 'ConnectionRead', one.body);
  });

  it('fleets: cursor page (with total) and FleetRead', async () => {
    const page = await h.api<Page>('/v2/orgs/fleets');
    expect(page.status).toBe(200);
    expectValid('orgs', '_CursorPage_FleetRead_', page.body);
    for (const fleet of page.body.items) {
      expectValid('orgs', 'FleetRead', fleet);
      expectOnlyKnownKeys(fleet, ['orgs', 'FleetRead']);
    }
    expectValid('orgs', 'FleetRead', (await h.api(`/v2/orgs/fleets/${String(page.body.items[0]?.['id'])}`)).body);
  });

  it('users: every UserRead field with the documented types', async () => {
    const page = await h.api<Page>('/v2/telematics/users?size=1000&include_source_data=true');
    expectValid('telematics', 'UserPage', page.body);
    expect(page.body.items.length).toBeGreaterThan(50);
    const one = await h.api(`/v2/telematics/users/${String(page.body.items[0]?.['id'])}`);
    expectValid('telematics', 'UserRead', one.body);
  });
});

describe('message writes', () => {
  it('202, 200 and 502 bodies are ResourceOperation; 422 is UnprocessableEntity; 404 NotFound', async () => {
    const northwind = await h.connection('Northwind Freight');
    const coastal = await h.connection('Coastal Carriers');
    const nw = await people(northwind.id);
    const cc = await people(coastal.id);
    const bodies: [HttpResult<Json>, number][] = [
      [
        await h.api('/v2/telematics/messages', {
          json: { connection_id: northwind.id, sender_id: nw.sender, recipient_id: nw.recipient, message_text: 'async' },
        }),
        202,
      ],
      [
        await h.api('/v2/telematics/messages?is_sync=true', {
          json: { connection_id: northwind.id, sender_id: nw.sender, recipient_id: nw.recipient, message_text: 'sync' },
        }),
        200,
      ],
      [
        await h.api('/v2/telematics/messages?is_sync=true', {
          json: { connection_id: coastal.id, sender_id: cc.sender, recipient_id: cc.recipient, message_text: 'sync' },
        }),
        502,
      ],
    ];
    for (const [result, status] of bodies) {
      expect(result.status).toBe(status);
      expectValid('telematics', 'ResourceOperation', result.body);
      expectOnlyKnownKeys(result.body, ['telematics', 'ResourceOperation']);
      for (const log of (result.body['logs'] as Json[]) ?? []) {
        expectValid('telematics', 'ResourceOperationLog', log);
        expectOnlyKnownKeys(log, ['telematics', 'ResourceOperationLog']);
      }
    }
    const invalid = await h.api('/v2/telematics/messages', { json: { connection_id: 'x', priority: 'urgent' } });
    expect(invalid.status).toBe(422);
    expectValid('telematics', 'UnprocessableEntity', invalid.body);
    const broken = await h.api('/v2/telematics/messages', { raw: '{', contentType: 'application/json' });
    expectValid('telematics', 'UnprocessableEntity', broken.body);
    const missing = await h.api('/v2/telematics/messages', {
      json: { connection_id: '11111111-1111-4111-8111-111111111111', sender_id: nw.sender, recipient_id: nw.recipient },
    });
    expect(missing.status).toBe(404);
    expectValid('telematics', 'NotFound', missing.body);
  });
});

describe('resource operations', () => {
  it('list page and get are ResourceOperationRead with ResourceOperationLogRead logs', async () => {
    const page = await h.api<Page>('/v2/integrations/connections/resource-operations?size=50');
    expectValid('integrations', '_CursorPage_TypeVar_Customized_ResourceOperationRead_', page.body);
    expect(page.body.next_page).not.toBeNull();
    for (const op of page.body.items) {
      expectOnlyKnownKeys(op, ['integrations', 'ResourceOperationRead']);
      for (const log of op['logs'] as Json[]) expectOnlyKnownKeys(log, ['integrations', 'ResourceOperationLogRead']);
    }
    const withRetries = (await h.api<Page>('/v2/integrations/connections/resource-operations?size=1000')).body.items.find(
      (op) => (op['logs'] as unknown[]).length === 5,
    ) as Json;
    const one = await h.api(`/v2/integrations/connections/${String(withRetries['connection_id'])}/resource-operations/${String(withRetries['id'])}`);
    expectValid('integrations', 'ResourceOperationRead', one.body);
  });
});

describe('error bodies', () => {
  it('401, 404, 405, 400, 409 and 429 match their schemas', async () => {
    expectValid('integrations', 'Unauthorized', (await h.call('/v2/integrations/connections')).body);
    expectValid('integrations', 'NotFound', (await h.api('/v2/integrations/connections/00000000-0000-4000-8000-000000000000')).body);
    expectValid('integrations', 'NotFound', (await h.api('/v2/not-a-path')).body);
    expectValid('integrations', 'MethodNotAllowed', (await h.api('/v2/integrations/connections', { method: 'DELETE' })).body);
    expectValid('integrations', 'BadRequest', (await h.api('/v2/integrations/connections/resource-operations?cursor=junk')).body);
    expectValid('integrations', 'UnprocessableEntity', (await h.api('/v2/integrations/connections/resource-operations?size=5000')).body);
    const hook = { url: `${receiver.url}/conflict`, event_name: 'resource_operation.failed' };
    await h.api('/v2/notifications/webhooks', { json: hook });
    const conflict = await h.api('/v2/notifications/webhooks', { json: hook });
    expect(conflict.status).toBe(409);
    expectValid('integrations', 'Conflict', conflict.body);

    const results = [await limited.api('/v2/orgs/fleets'), await limited.api('/v2/orgs/fleets')];
    const tooMany = results.find((r) => r.status === 429);
    expect(tooMany).toBeDefined();
    const tooManyBody = (tooMany as HttpResult<Json>).body;
    expectValid('integrations', 'TooManyRequests', tooManyBody);
    expectValid('integrations', 'RetryAfterDetail', tooManyBody['detail']);
  });
});

describe('webhooks', () => {
  it('create, read and list answers are WebhookRead; delivered envelopes match the event schemas', async () => {
    const secret = 'contract-test-secret';
    const created = await h.api<Json[]>('/v2/notifications/webhooks', { json: { url: receiver.url, event_name: 'resource_operation.*', secret } });
    expect(created.status).toBe(200);
    for (const hook of created.body) {
      expectValid('notifications', 'WebhookRead', hook);
      // WebhookRead, plus partner_id and deleted_at of the Webhook model (only its tail is in the excerpt).
      expect(unknownKeys(hook, v.schema('notifications', 'WebhookRead'))).toEqual(['partner_id', 'deleted_at']);
    }
    const read = await h.api(`/v2/notifications/webhooks/${String(created.body[0]?.['id'])}`);
    expectValid('notifications', 'WebhookRead', read.body);
    expectValid('notifications', 'WebhookPage', (await h.api('/v2/notifications/webhooks')).body);

    const northwind = await h.connection('Northwind Freight');
    const coastal = await h.connection('Coastal Carriers');
    const nw = await people(northwind.id);
    const cc = await people(coastal.id);
    await h.api('/v2/telematics/messages', {
      json: { connection_id: northwind.id, sender_id: nw.sender, recipient_id: nw.recipient, message_text: 'ok' },
    });
    await h.api('/v2/telematics/messages', {
      json: { connection_id: coastal.id, sender_id: cc.sender, recipient_id: cc.recipient, message_text: 'fails' },
    });
    await waitFor(async () => (receiver.deliveries.length >= 4 ? true : undefined), 'created ×2, succeeded, failed');
    const schemaFor: Record<string, string> = {
      'resource_operation.created': 'ResourceOperationCreated',
      'resource_operation.succeeded': 'ResourceOperationSucceeded',
      'resource_operation.failed': 'ResourceOperationFailed',
    };
    expect(new Set(receiver.deliveries.map((d) => d.body.event_name))).toEqual(new Set(Object.keys(schemaFor)));
    for (const delivery of receiver.deliveries) {
      expectValid('notifications', schemaFor[delivery.body.event_name] as string, delivery.body);
      expectOnlyKnownKeys(delivery.body, ['notifications', 'ResourceOperationSucceeded']);
      for (const item of delivery.body.data) {
        expectValid('notifications', 'BaseResourceOperationEvent', item);
        expectOnlyKnownKeys(item, ['notifications', 'BaseResourceOperationEvent']);
      }
    }
  });
});

describe('webhook operations (excerpt-notifications-webhook-ops.json)', () => {
  it('activate and pause are WebhookRead, metrics WebhookMetrics, logs their cursor page, replay 202 {}, webhook.staled WebhookStaled', async () => {
    await h.call('/_sim/settings', { method: 'PUT', json: { webhook_stale_grace_seconds: 0 } });
    const failing = await startWebhookReceiver(() => 503);
    const watcher = await startWebhookReceiver();
    try {
      const hook = (await h.api<Json>('/v2/notifications/webhooks', { json: { url: failing.url, event_name: 'resource_operation.created' } })).body;
      await h.api('/v2/notifications/webhooks', { json: { url: watcher.url, event_name: 'webhook.staled' } });
      const id = String(hook['id']);
      const northwind = await h.connection('Northwind Freight');
      const nw = await people(northwind.id);
      for (let i = 0; i < 3; i++) {
        await h.api('/v2/telematics/messages', {
          json: { connection_id: northwind.id, sender_id: nw.sender, recipient_id: nw.recipient, message_text: `contract ${i}` },
        });
      }
      const staled = await waitFor(async () => watcher.deliveries[0], 'webhook.staled');
      expectValid('notifications', 'WebhookStaled', staled.body);
      expectOnlyKnownKeys(staled.body, ['notifications', 'WebhookStaled']);

      const metrics = await h.api<Json>(`/v2/notifications/webhooks/${id}/metrics`);
      expect(metrics.status).toBe(200);
      expectValid('notifications', 'WebhookMetrics', metrics.body);
      expectOnlyKnownKeys(metrics.body, ['notifications', 'WebhookMetrics']);
      const logs = await h.api<Page>(`/v2/notifications/webhooks/${id}/logs?size=5`);
      expectValid('notifications', '_CursorPage_TypeVar_Customized_WebhookLogRead_', logs.body);
      expect(logs.body.items.length).toBeGreaterThan(0);
      for (const row of logs.body.items) expectOnlyKnownKeys(row, ['notifications', 'WebhookLogRead']);

      for (const op of ['pause', 'activate']) {
        const answer = await h.api<Json>(`/v2/notifications/webhooks/${id}/${op}`, { method: 'POST' });
        expect(answer.status).toBe(200);
        expectValid('notifications', 'WebhookRead', answer.body);
      }
      const replay = await h.api(`/v2/notifications/webhooks/${id}/replay`, { method: 'POST' });
      expect([replay.status, replay.body]).toEqual([202, {}]);
      expectValid('integrations', 'NotFound', (await h.api('/v2/notifications/webhooks/00000000-0000-4000-8000-000000000000/metrics')).body);
      expectValid('integrations', 'UnprocessableEntity', (await h.api(`/v2/notifications/webhooks/${id}/logs?size=0`)).body);
      await h.api(`/v2/notifications/webhooks/${id}/pause`, { method: 'POST' });
      expectValid('integrations', 'Conflict', (await h.api(`/v2/notifications/webhooks/${id}/replay`, { method: 'POST' })).body);
      await h.api(`/v2/notifications/webhooks/${id}`, { method: 'DELETE' });
    } finally {
      await Promise.all([failing.close(), watcher.close()]);
    }
  });
});

/** VehicleRead / TrailerRead are not in the excerpt: Catena's record metadata plus the create body's fields (decision 0104). */
function assetReadSchema(createSchema: string): Json {
  const create = v.schema('telematics', createSchema);
  const { connection_id: _connection, ...fields } = create['properties'] as Record<string, Json>;
  const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
  const uuid = { type: 'string', format: 'uuid' };
  const dateTime = { type: 'string', format: 'date-time' };
  const meta: Record<string, Json> = {
    id: uuid,
    connection_id: uuid,
    fleet_id: nullable(uuid),
    fleet_ref: nullable({ type: 'string' }),
    tsp_id: nullable(uuid),
    tsp_slug: { type: 'string' },
    source_name: { $ref: '#/components/schemas/TspEnum' },
    source_id: { type: 'string' },
    source_data: { type: 'object' },
    source_data_hash: { type: 'string', maxLength: 64 },
    created_at: dateTime,
    updated_at: dateTime,
    deleted_at: nullable(dateTime),
    occurred_at: nullable(dateTime),
  };
  return {
    type: 'object',
    properties: { ...meta, ...fields },
    required: [...Object.keys(meta), ...Object.keys(fields)],
    additionalProperties: false,
  };
}

describe('every write endpoint (excerpt-telematics-writes.json)', () => {
  it("the bodies we send are the excerpt's; 202 and 200 answers are ResourceOperation with the right resource and type", async () => {
    const northwind = await h.connection('Northwind Freight');
    for (const [query, status] of [
      ['', 202],
      ['?is_sync=true', 200],
    ] as const) {
      // Fresh bodies per mode: a second create with the same VIN is (rightly) refused by the TSP.
      for (const write of await writeCases(h, northwind.id)) {
        expectValid('telematics', write.schema, write.body);
        const result = await h.api<Json>(`${write.path}${query}`, { method: write.method, json: write.body });
        expect({ write: write.name, status: result.status, body: result.body }).toMatchObject({ write: write.name, status });
        expectValid('telematics', 'ResourceOperation', result.body);
        expectOnlyKnownKeys(result.body, ['telematics', 'ResourceOperation']);
        expect(result.body).toMatchObject({ resource: write.resource, operation_type: write.operation_type });
        // An update names its record (Catena's id from the path, the TSP's id) from the start.
        const isUpdate = write.operation_type === 'update';
        expect(result.body['resource_id'] === write.path.split('/').at(-1)).toBe(isUpdate);
        expect(typeof result.body['source_id'] === 'string' || !isUpdate).toBe(true);
        for (const log of (result.body['logs'] as Json[]) ?? []) expectValid('telematics', 'ResourceOperationLog', log);
      }
    }
  });

  it('a sync TSP failure is a 502 ResourceOperation; a bad body a 422 UnprocessableEntity naming the field', async () => {
    const coastal = await h.connection('Coastal Carriers');
    for (const write of await writeCases(h, coastal.id)) {
      const failed = await h.api<Json>(`${write.path}?is_sync=true`, { method: write.method, json: write.body });
      expect({ write: write.name, status: failed.status }).toEqual({ write: write.name, status: 502 });
      expectValid('telematics', 'ResourceOperation', failed.body);
      const invalid = await h.api<Json>(write.path, { method: write.method, json: { ...write.body, connection_id: 'nope' } });
      expect(invalid.status).toBe(422);
      expectValid('telematics', 'UnprocessableEntity', invalid.body);
      expect(invalid.body['detail']).toEqual([expect.objectContaining({ path: 'body.connection_id', error_type: 'uuid_parsing' })]);
    }
    const vehicle = await h.api<Json>('/v2/telematics/vehicles', {
      json: { connection_id: coastal.id, license_plate_country: 'US', model_year: 'new' },
    });
    expectValid('telematics', 'UnprocessableEntity', vehicle.body);
    expect((vehicle.body['detail'] as Json[]).map((d) => [d['path'], d['error_type']])).toEqual([
      ['body.model_year', 'int_parsing'],
      ['body.license_plate_country', 'string_pattern_mismatch'],
    ]);
    const missing = await h.api<Json>('/v2/telematics/vehicles/00000000-0000-4000-8000-000000000000', {
      method: 'PATCH',
      json: { connection_id: coastal.id },
    });
    expect(missing.status).toBe(404);
    expectValid('telematics', 'NotFound', missing.body);
  });

  it('vehicles and trailers: cursor pages and reads with every field of the create body', async () => {
    v.add('telematics', 'VehicleRead', assetReadSchema('VehicleCreate'));
    v.add('telematics', 'TrailerRead', assetReadSchema('TrailerCreate'));
    v.add('telematics', 'VehiclePage', pageOf('#/components/schemas/VehicleRead'));
    v.add('telematics', 'TrailerPage', pageOf('#/components/schemas/TrailerRead'));
    for (const [plural, name] of [
      ['vehicles', 'Vehicle'],
      ['trailers', 'Trailer'],
    ] as const) {
      const page = await h.api<Page>(`/v2/telematics/${plural}?size=1000&include_source_data=true`);
      expectValid('telematics', `${name}Page`, page.body);
      expect(page.body.items.length).toBeGreaterThan(10);
      const one = await h.api(`/v2/telematics/${plural}/${String(page.body.items[0]?.['id'])}`);
      expectValid('telematics', `${name}Read`, one.body);
    }
  });
});
