import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { expect, it } from 'vitest';
import type { Account, Role } from '../../contracts/access-schemas.ts';
import type { DirectoryConnection } from '../../contracts/directory-schemas.ts';
import { operationListQuerySchema, type ErrorType, type OperationStatus, type OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { openSharedStores } from '../../tests/support/shared-store.ts';
import type { StoreDatabase } from '../db/database.ts';
import { SqlOperationsStore } from '../operations/operations-store.ts';
import { armedResendKeyOf, DEFAULT_INCIDENT_RULES, IncidentDetector, type IncidentRules } from './incident-detector.ts';
import { IncidentStore } from './incident-store.ts';

const NORTHWIND = 'c0ffee00-0000-4000-8000-000000000001';
const COASTAL = 'c0ffee00-0000-4000-8000-000000000004';
const PRAIRIE = 'c0ffee00-0000-4000-8000-000000000003';

const connection = (id: string, name: string, tsp: string): DirectoryConnection => ({
  id,
  name,
  fleet_id: null,
  fleet_ref: null,
  tsp,
  status: 'active',
  description: null,
  can_send: true,
  inactive_reason: null,
  limits: { message_text_max: null },
});
const CONNECTIONS = [
  connection(NORTHWIND, 'Northwind Freight', 'samsara'),
  connection(COASTAL, 'Coastal Carriers', 'samsara'),
  connection(PRAIRIE, 'Prairie Haulers', 'geotab'),
];

/** A write that finished `secondsAgo` before now, on the machine's clock (the store's, in these tests). */
function write(connectionId: string, status: OperationStatus, errorType: ErrorType | null, secondsAgo = 1): OperationWithLogs {
  const at = new Date(Date.now() - secondsAgo * 1000).toISOString();
  return {
    id: randomUUID(),
    created_at: at,
    updated_at: at,
    partner_id: randomUUID(),
    connection_id: connectionId,
    fleet_ref: null,
    source_name: connectionId === PRAIRIE ? 'geotab' : 'samsara',
    resource: 'message',
    resource_id: null,
    source_id: null,
    operation_type: 'create',
    status,
    payload: { message_text: 'Road closed at exit 12' },
    attempt_count: errorType ? 5 : 1,
    last_error_type: errorType,
    logs: [],
  };
}

const accountOf = (id: string, role: Role, disabled = false): Account => ({
  id,
  email: `${id}@fleet.test`,
  name: 'Dana Dispatch',
  role,
  disabled,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
  last_sign_in_at: null,
});

/** A detector on `database` with the default thresholds, and the resends it asked for. */
function detectorOn(
  database: StoreDatabase,
  options: { rules?: IncidentRules; connections?: () => DirectoryConnection[]; refuseKey?: string; accounts?: Map<string, Account> } = {},
) {
  const started: { key: string; operationIds: readonly string[] }[] = [];
  const detector = new IncidentDetector({
    incidents: new IncidentStore(database),
    listConnections: async () => options.connections?.() ?? CONNECTIONS,
    startResend: async (input) => {
      if (input.key === options.refuseKey) throw new Error('the store is busy');
      started.push({ key: input.key, operationIds: input.operationIds });
      return { batchId: randomUUID() };
    },
    // Anyone who armed is an active dispatcher unless the test says otherwise.
    accounts: { get: async (id) => options.accounts?.get(id) ?? accountOf(id, 'dispatcher') },
    log: pino({ level: 'silent' }),
    rules: options.rules ?? DEFAULT_INCIDENT_RULES,
  });
  return { detector, started, incidents: new IncidentStore(database), operations: new SqlOperationsStore(database) };
}

describeEachEngine('provider incidents', (openStore, engine) => {
  it('opens one incident when a TSP’s provider failures rise across its connections, holding each failure once', async () => {
    const { detector, incidents, operations } = detectorOn(await openStore());
    const failures = [
      ...Array.from({ length: 3 }, () => write(NORTHWIND, 'failed', 'tsp')),
      write(COASTAL, 'failed', 'network'),
      write(COASTAL, 'failed', 'tsp'),
    ];
    // Not the provider: a fleet's credentials, a bad payload, another TSP.
    const others = [write(COASTAL, 'failed', 'auth'), write(NORTHWIND, 'failed', 'validation'), write(PRAIRIE, 'failed', 'tsp')];
    await operations.upsertMany([...failures, ...others], 'webhook');

    await detector.runOnce();
    await detector.runOnce();

    const open = await incidents.list({ open: true, limit: 10 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      tsp: 'samsara',
      closed_at: null,
      failed_count: 5,
      connection_ids: [NORTHWIND, COASTAL].sort(),
      armed_resend: null,
    });
    const folded = await operations.list({ incident: open[0]!.id }, operationListQuerySchema.parse({}));
    expect(folded.items.map((op) => op.id).sort()).toEqual(failures.map((op) => op.id).sort());
    const rest = await operations.list({ exclude_incident: [open[0]!.id] }, operationListQuerySchema.parse({}));
    expect(rest.items.map((op) => op.id).sort()).toEqual(others.map((op) => op.id).sort());
  });

  it('opens nothing below the threshold, nor for failures older than the window', async () => {
    const { detector, incidents, operations } = detectorOn(await openStore());
    const windowSeconds = DEFAULT_INCIDENT_RULES.windowMs / 1000;
    await operations.upsertMany(
      [
        ...Array.from({ length: DEFAULT_INCIDENT_RULES.openAfterFailures - 1 }, () => write(NORTHWIND, 'failed', 'tsp')),
        ...Array.from({ length: 5 }, () => write(COASTAL, 'failed', 'tsp', windowSeconds + 60)),
      ],
      'reconciler',
    );
    await detector.runOnce();
    expect(await incidents.list({ limit: 10 })).toEqual([]);
  });

  it('of two servers opening at once, one incident opens', async () => {
    const [a, b] = await openSharedStores(engine);
    const first = detectorOn(a!);
    const second = detectorOn(b!);
    await first.operations.upsertMany(
      Array.from({ length: 6 }, () => write(NORTHWIND, 'failed', 'tsp')),
      'webhook',
    );
    await Promise.all([first.detector.runOnce(), second.detector.runOnce(), first.detector.runOnce()]);
    const all = await first.incidents.list({ limit: 10 });
    expect(all.map((incident) => [incident.tsp, incident.failed_count, incident.closed_at])).toEqual([['samsara', 6, null]]);
  });

  it('stays open while the TSP limps, closes after writes succeed again, and does not reopen on the same failures', async () => {
    const { detector, incidents, operations } = detectorOn(await openStore());
    await operations.upsertMany(
      Array.from({ length: 5 }, () => write(NORTHWIND, 'failed', 'tsp', 5)),
      'webhook',
    );
    await detector.runOnce();
    const [incident] = await incidents.list({ open: true, limit: 1 });

    // Two successes are not yet a recovery (hysteresis); a failure after them starts the count again.
    await operations.upsertMany([write(COASTAL, 'success', null, 4), write(NORTHWIND, 'success', 'tsp', 4)], 'webhook');
    await detector.runOnce();
    await operations.upsert(write(COASTAL, 'failed', 'network', 3), 'webhook');
    await operations.upsertMany([write(NORTHWIND, 'success', null, 2), write(NORTHWIND, 'success', null, 2)], 'webhook');
    await detector.runOnce();
    expect(await incidents.get(incident!.id)).toMatchObject({ closed_at: null, failed_count: 6 });

    await operations.upsert(write(COASTAL, 'success', null, 1), 'webhook');
    await detector.runOnce();
    await detector.runOnce();
    const closed = await incidents.get(incident!.id);
    expect(closed?.closed_at).not.toBeNull();
    expect(await incidents.list({ open: true, limit: 10 })).toEqual([]);
    expect(await incidents.list({ limit: 10 })).toHaveLength(1);
  });

  it('starts an armed resend once, after the incident closed, with a key of its own', async () => {
    const { detector, incidents, operations, started } = detectorOn(await openStore());
    const failures = Array.from({ length: 5 }, () => write(PRAIRIE, 'failed', 'tsp', 5));
    await operations.upsertMany(failures, 'webhook');
    await detector.runOnce();
    const [incident] = await incidents.list({ open: true, limit: 1 });
    expect(await incidents.arm(incident!.id, { id: randomUUID(), name: 'Dana Dispatch', email: 'dana@fleet.test' })).toBe(true);
    expect(await incidents.arm(incident!.id, { id: randomUUID(), name: 'Someone Else', email: 'else@fleet.test' })).toBe(false);
    await detector.runOnce();
    expect(started).toEqual([]);

    await operations.upsertMany(
      Array.from({ length: 3 }, () => write(PRAIRIE, 'success', null, 1)),
      'webhook',
    );
    await detector.runOnce();
    await detector.runOnce();
    expect(started).toEqual([{ key: armedResendKeyOf(incident!.id), operationIds: failures.map((op) => op.id).sort() }]);
    const after = await incidents.get(incident!.id);
    expect(after?.armed_resend).toMatchObject({ armed_by_name: 'Dana Dispatch', resend_batch_id: expect.any(String), note: null });
  });

  it('a detector that still thinks a closed incident is open (an old leader) adds no failure to it', async () => {
    const { detector, incidents, operations } = detectorOn(await openStore());
    await operations.upsertMany(
      Array.from({ length: 5 }, () => write(NORTHWIND, 'failed', 'tsp', 5)),
      'webhook',
    );
    await detector.runOnce();
    const [stale] = await incidents.list({ open: true, limit: 1 });
    // Another server closes it; the TSP fails again; the old leader, a look behind, claims for the incident it read.
    expect(await incidents.close(stale!.id)).toBe(true);
    await operations.upsertMany(
      Array.from({ length: 2 }, () => write(COASTAL, 'failed', 'tsp', 1)),
      'webhook',
    );
    expect(await incidents.claimFailures(stale!.id, [NORTHWIND, COASTAL], stale!.since)).toBe(0);
    expect(await incidents.get(stale!.id)).toMatchObject({ failed_count: 5 });
  });

  it('closes an incident after the quiet even when its TSP no longer has a connection in the directory', async () => {
    let connections = CONNECTIONS;
    const rules = { ...DEFAULT_INCIDENT_RULES, quietMs: 3_000 };
    const { detector, incidents, operations, started } = detectorOn(await openStore(), { rules, connections: () => connections });
    await operations.upsertMany(
      Array.from({ length: 5 }, () => write(PRAIRIE, 'failed', 'tsp', 1)),
      'webhook',
    );
    await detector.runOnce();
    const [open] = await incidents.list({ open: true, limit: 1 });
    expect(open).toMatchObject({ tsp: 'geotab', closed_at: null });
    await incidents.arm(open!.id, null);

    // The fleet is disconnected: the directory lists no geotab connection any more.
    connections = CONNECTIONS.filter((c) => c.tsp !== 'geotab');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await detector.runOnce();
    expect((await incidents.get(open!.id))?.closed_at).not.toBeNull();
    expect(started.map((s) => s.key)).toEqual([armedResendKeyOf(open!.id)]);
  });

  it('an armed resend that cannot be started now holds up no other incident’s', async () => {
    const database = await openStore();
    const probe = detectorOn(database);
    const geotab = Array.from({ length: 5 }, () => write(PRAIRIE, 'failed', 'tsp', 5));
    await probe.operations.upsertMany([...Array.from({ length: 5 }, () => write(NORTHWIND, 'failed', 'tsp', 6)), ...geotab], 'webhook');
    await probe.detector.runOnce();
    const open = await probe.incidents.list({ open: true, limit: 10 });
    expect(open.map((incident) => incident.tsp).sort()).toEqual(['geotab', 'samsara']);
    const samsara = open.find((incident) => incident.tsp === 'samsara')!;
    for (const incident of open) {
      await probe.incidents.arm(incident.id, null);
      await probe.incidents.close(incident.id);
    }
    // The samsara incident closed first; its resend fails this time.
    const { detector, started, incidents } = detectorOn(database, { refuseKey: armedResendKeyOf(samsara.id) });
    await detector.runOnce();
    const geotabIncident = open.find((incident) => incident.tsp === 'geotab')!;
    expect(started).toEqual([{ key: armedResendKeyOf(geotabIncident.id), operationIds: geotab.map((op) => op.id).sort() }]);
    expect((await incidents.get(samsara.id))?.armed_resend).toMatchObject({ resend_batch_id: null, note: null });
  });

  it('makes no armed resend on behalf of someone who can no longer resend, and says so', async () => {
    const [demoted, disabled] = [randomUUID(), randomUUID()];
    const accounts = new Map([
      [demoted, accountOf(demoted, 'viewer')],
      [disabled, accountOf(disabled, 'dispatcher', true)],
    ]);
    const database = await openStore();
    const { detector, incidents, operations, started } = detectorOn(database, { accounts });
    await operations.upsertMany(
      [
        ...Array.from({ length: 5 }, () => write(NORTHWIND, 'failed', 'tsp', 6)),
        ...Array.from({ length: 5 }, () => write(PRAIRIE, 'failed', 'tsp', 5)),
      ],
      'webhook',
    );
    await detector.runOnce();
    const open = await incidents.list({ open: true, limit: 10 });
    expect(open).toHaveLength(2);
    await incidents.arm(open[0]!.id, { id: demoted, name: 'Dana Dispatch', email: 'dana@fleet.test' });
    await incidents.arm(open[1]!.id, { id: disabled, name: 'Dana Dispatch', email: 'dana@fleet.test' });
    for (const incident of open) await incidents.close(incident.id);
    await detector.runOnce();
    expect(started).toEqual([]);
    for (const incident of open) {
      expect((await incidents.get(incident.id))?.armed_resend).toMatchObject({
        resend_batch_id: null,
        note: expect.stringMatching(/can no longer resend/),
      });
    }
  });
});
