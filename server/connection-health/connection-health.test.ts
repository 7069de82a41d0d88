import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { DirectoryConnection } from '../../contracts/directory-schemas.ts';
import type { OperationWithLogs } from '../../contracts/operation-schemas.ts';
import { describeEachEngine } from '../../tests/support/store-engines.ts';
import { storedOperation } from '../../tests/support/stored-operation.ts';
import { HttpError } from '../http/http-error.ts';
import { SqlOperationsStore } from '../operations/operations-store.ts';
import { ConnectionHealthService } from './connection-health.ts';
import { ConnectionHealthStore } from './connection-health-store.ts';

const COASTAL: DirectoryConnection = {
  id: 'c0ffee00-0000-4000-8000-000000000004',
  name: 'Coastal Carriers',
  fleet_id: null,
  fleet_ref: 'CCX-5120',
  tsp: 'samsara',
  status: 'active',
  description: null,
  can_send: true,
  inactive_reason: null,
  limits: { message_text_max: 2500 },
};

function authFailure(minutesAgo: number): OperationWithLogs {
  return storedOperation({
    minutesAgo,
    connection_id: COASTAL.id,
    status: 'failed',
    last_error_type: 'auth',
    payload: { message_text: 'Gate code changed' },
  });
}

describeEachEngine('connection health when the store does not answer', (openStore, engine) => {
  // A store that cannot count: its operations table is gone (PostgreSQL needs CASCADE for the tables that refer to it).
  const breakStore = (database: Awaited<ReturnType<typeof openStore>>) =>
    sql`DROP TABLE operations ${sql.raw(engine === 'postgres' ? 'CASCADE' : '')}`.execute(database.db);
  const warnings: string[] = [];
  const log = { warn: (_details: object, message: string) => void warnings.push(message) };

  it('serves the last health it counted, and says so in the log', async () => {
    const database = await openStore();
    await new SqlOperationsStore(database).upsertMany([authFailure(3), authFailure(2), authFailure(1)], 'reconciler');
    const service = new ConnectionHealthService(new ConnectionHealthStore(database), log, 0);
    expect((await service.withHealth([COASTAL]))[0]?.health.state).toBe('failing');

    await breakStore(database);

    expect((await service.withHealth([COASTAL]))[0]?.health.state).toBe('failing');
    expect(warnings).toContain('could not count recent writes for connection health');
  });

  it('answers 503 with a reason a person can act on when it has never counted', async () => {
    const database = await openStore();
    await breakStore(database);
    const service = new ConnectionHealthService(new ConnectionHealthStore(database), log, 0);

    const refusal = await service.withHealth([COASTAL]).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpError);
    expect(refusal).toMatchObject({
      statusCode: 503,
      code: 'health_unavailable',
      message: expect.stringMatching(/connection health is unknown\. Try again/),
    });
  });
});
