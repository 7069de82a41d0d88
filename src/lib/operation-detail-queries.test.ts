import { describe, expect, it } from 'vitest';
import { sentOnce } from '../mocks/fixtures/chain-fixtures.ts';
import { chainWith, deliveredResend, operationDetailFixtures, resentOperation } from '../mocks/fixtures/operation-detail-fixtures.ts';
import { operationDetailQueries, operationStillMoving } from './operation-detail-queries.ts';

describe('operationDetailQueries.detail: one entry and one poll for every view of an operation', () => {
  const pending = operationDetailFixtures.prairiePending;
  const failed = operationDetailFixtures.coastalAuth;

  it('is the one cache entry: the drawer and Compose’s sent message read the same key', () => {
    expect(operationDetailQueries.detail(pending.id).queryKey).toEqual(['operations', 'detail', pending.id]);
  });

  it('is polled while the operation is pending, and not once it is final', () => {
    expect(operationStillMoving(pending)).toBe(true);
    expect(operationStillMoving(sentOnce(deliveredResend(pending, Date.now())))).toBe(false);
    expect(operationStillMoving(failed)).toBe(false);
  });

  it('is polled while the newest send of a final operation’s chain is pending, and not once that one is final', () => {
    const resend = resentOperation(failed, 'c0a57a1e-0000-4a11-8a11-0000000000f1', Date.now());
    const [original] = chainWith([failed], resend);
    expect(operationStillMoving(original)).toBe(true);

    const [settled] = chainWith([failed], deliveredResend(resend, Date.now()));
    expect(operationStillMoving(settled)).toBe(false);
  });
});
