import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { RESEND_BATCH_MAX } from '../../contracts/resend-batch-schemas.ts';
import { resendBatchStarter } from './resend-batch-routes.ts';

it('an armed resend larger than one bulk resend takes says so in words, and touches nothing', async () => {
  // Every dependency throws if used: the refusal comes before anything is read or written.
  const untouched = new Proxy(
    {},
    {
      get: () => {
        throw new Error('the starter used a dependency');
      },
    },
  );
  const start = resendBatchStarter(untouched as Parameters<typeof resendBatchStarter>[0]);
  const outcome = await start({
    key: 'incident-resend:x',
    operationIds: Array.from({ length: RESEND_BATCH_MAX + 1 }, () => randomUUID()),
    user: null,
  });
  expect(outcome).toEqual({
    refused: '10,001 failed writes are more than one bulk resend takes (10,000). Resend them from Operations, filtered to this incident, in parts.',
  });
});
