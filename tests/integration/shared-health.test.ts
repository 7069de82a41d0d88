import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSchema } from '../../contracts/health-schemas.ts';
import { json } from '../support/console-api.ts';
import { startConsole, TEST_WEBHOOK_SECRET, type RunningConsole } from '../support/console-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres-server.ts';
import { eventually } from '../support/simulator.ts';
import { postgresTestUrl } from '../support/test-databases.ts';
import { catenaOperation, deliver, eventEnvelope } from '../support/webhook-delivery.ts';

/** Two servers on one PostgreSQL; Catena is unreachable for both (nothing listens on port 9). */
let database: TestDatabase;
let a: RunningConsole;
let b: RunningConsole;
beforeAll(async () => {
  database = await createTestDatabase(postgresTestUrl());
  a = await startConsole({ catenaUrl: 'http://127.0.0.1:9', databaseUrl: database.url });
  b = await startConsole({ catenaUrl: 'http://127.0.0.1:9', databaseUrl: database.url });
});
afterAll(async () => {
  await a.close();
  await b.close();
  await database.drop();
});

const healthOf = async (server: RunningConsole) => healthSchema.parse((await json(server, '/api/health')).body);

describe('health, with several servers', () => {
  it('shows on every server the last webhook any server received', async () => {
    expect((await healthOf(b)).webhooks.last_received_at).toBeNull();
    const response = await deliver(a.url, eventEnvelope('resource_operation.succeeded', [catenaOperation({ status: 'success' })]), {
      secret: TEST_WEBHOOK_SECRET,
    });
    expect(response.status).toBe(202);
    const seen = await eventually(async () => {
      const at = (await healthOf(b)).webhooks.last_received_at;
      if (!at) throw new Error('server B does not know of the webhook yet');
      return at;
    }, 5_000);
    expect(Math.abs(Date.parse(seen) - Date.now())).toBeLessThan(10_000);
  });

  it('shows on every server that Catena cannot be reached, once one server found out', async () => {
    // Server A tries Catena (the connections list) and fails.
    expect((await json(a, '/api/connections')).status).toBeGreaterThanOrEqual(500);
    const health = await eventually(async () => {
      const seen = await healthOf(b);
      if (seen.upstream.last_error === null) throw new Error('server B does not know Catena failed yet');
      return seen;
    }, 5_000);
    expect(health.ok).toBe(false);
    expect(health.upstream.reachable).toBe(false);
  });
});
