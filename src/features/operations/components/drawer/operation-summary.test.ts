import { describe, expect, it } from 'vitest';
import type { OperationDetail, OperationLog } from '../../../../../contracts/operation-schemas.ts';
import { operationDetailFixtures } from '../../../../mocks/fixtures/operation-detail-fixtures.ts';
import { summariseOperation } from './operation-summary.ts';

const samsara = { tsp: 'Samsara' };

function withLogs(base: OperationDetail, status: OperationDetail['status'], logs: Array<Partial<OperationLog> & { s: number }>): OperationDetail {
  const created = Date.parse(base.created_at);
  return {
    ...base,
    status,
    logs: logs.map(({ s, ...log }, index) => ({
      id: `0f0f0f0f-0000-4000-8000-${String(900 + index).padStart(12, '0')}`,
      created_at: new Date(created + s * 1000).toISOString(),
      updated_at: new Date(created + s * 1000).toISOString(),
      resource_operation_id: base.id,
      status: 'failed',
      error_type: null,
      error_details: null,
      response_status_code: null,
      ...log,
    })),
  };
}

describe('summariseOperation', () => {
  it('failed after retries with one status code: count, span and the code', () => {
    expect(summariseOperation(operationDetailFixtures.blueRidgeOutage, { tsp: 'Motive' })).toBe(
      'Failed after 5 attempts over 31 s: Motive answered 503 each time.',
    );
  });

  it('failed after retries with only network errors', () => {
    expect(summariseOperation(operationDetailFixtures.prairieNetwork, { tsp: 'Geotab' })).toBe(
      'Failed after 5 attempts over 17 s: Geotab could not be reached each time (network errors).',
    );
  });

  it('failed after mixed errors: counts of each and the last status code', () => {
    expect(summariseOperation(operationDetailFixtures.northwindMixed, samsara)).toBe(
      'Failed after 5 attempts over 16 s: 3 network errors and 2 TSP errors (last: HTTP 502).',
    );
  });

  it('failed at once: auth, paused connection, validation naming the field', () => {
    expect(summariseOperation(operationDetailFixtures.coastalAuth, samsara)).toBe(
      "Failed on the first attempt: Samsara rejected the connection's credentials (HTTP 401).",
    );
    expect(summariseOperation(operationDetailFixtures.summitPaused, { tsp: 'Motive' })).toBe(
      'Failed on the first attempt: the fleet has paused this connection.',
    );
    expect(summariseOperation(operationDetailFixtures.northwindTooLong, samsara)).toBe(
      'Failed on the first attempt: Samsara rejected the message text as invalid (HTTP 400).',
    );
    expect(summariseOperation(operationDetailFixtures.northwindInactiveRecipient, samsara)).toBe(
      'Failed on the first attempt: Samsara rejected the recipient as invalid (HTTP 422).',
    );
  });

  it('delivered on the first try, and after retries', () => {
    expect(summariseOperation(operationDetailFixtures.northwindFirstTry, samsara)).toBe(
      'Delivered on the first attempt, 0.4 s after Catena accepted it.',
    );
    expect(summariseOperation(operationDetailFixtures.northwindRetried, samsara)).toBe(
      'Delivered after 3 attempts over 7 s; the first 2 hit network errors.',
    );
    const oneRetry = withLogs(operationDetailFixtures.northwindFirstTry, 'success', [
      { s: 0.5, error_type: 'tsp', response_status_code: 500 },
      { s: 2.6, status: 'success', response_status_code: 200 },
    ]);
    expect(summariseOperation(oneRetry, samsara)).toBe('Delivered after 2 attempts over 2 s; the first one hit a TSP error.');
    const mixed = withLogs(operationDetailFixtures.northwindFirstTry, 'success', [
      { s: 0.5, error_type: 'network' },
      { s: 1.5, error_type: 'tsp', response_status_code: 503 },
      { s: 4.5, status: 'success', response_status_code: 200 },
    ]);
    expect(summariseOperation(mixed, samsara)).toBe('Delivered after 3 attempts over 4 s; the first 2 failed (1 network error, 1 TSP error).');
  });

  it('says "Succeeded" for what is not a message', () => {
    expect(summariseOperation(operationDetailFixtures.vehicleUpdate, { tsp: 'Geotab' })).toBe(
      'Succeeded on the first attempt, 0.6 s after Catena accepted it.',
    );
  });

  it('pending: names the attempt that failed, and the next one out of the most the server knows of', () => {
    const pending = operationDetailFixtures.prairiePending;
    expect(summariseOperation({ ...pending, attempts_expected: 5 }, { tsp: 'Geotab' })).toBe(
      'Attempt 2 failed with a network error; Catena is retrying (attempt 3 of 5).',
    );
    // Unknown, or outgrown (Catena retried more than the server thought): no promise of how many are left.
    expect(summariseOperation({ ...pending, attempts_expected: null }, { tsp: 'Geotab' })).toBe(
      'Attempt 2 failed with a network error; Catena is retrying (attempt 3).',
    );
    expect(summariseOperation({ ...pending, attempts_expected: 2 }, { tsp: 'Geotab' })).toBe(
      'Attempt 2 failed with a network error; Catena is retrying (attempt 3).',
    );
    const queued = withLogs(operationDetailFixtures.prairiePending, 'pending', []);
    expect(summariseOperation(queued, samsara)).toBe('Waiting for the first attempt: Catena has accepted the operation and queued it.');
  });

  it('reads the logs in time order, whatever order they arrive in', () => {
    const shuffled = { ...operationDetailFixtures.northwindRetried, logs: [...operationDetailFixtures.northwindRetried.logs].reverse() };
    expect(summariseOperation(shuffled, samsara)).toBe('Delivered after 3 attempts over 7 s; the first 2 hit network errors.');
  });
});
