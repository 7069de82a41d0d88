import { http, HttpResponse } from 'msw';
import { createResendBatchRequestSchema } from '../../../contracts/resend-batch-schemas.ts';
import { apiErrorResponse } from '../api-error-response.ts';
import {
  cancelledBatchFixture,
  listedBatch,
  resendBatchFixtures,
  resendPreviewFixture,
  runningBatchFixture,
} from '../fixtures/resend-batch-fixtures.ts';

/**
 * /api/resend-batches answered with fixtures: the preview for a dry run, the batch under way for
 * a real one (whatever the selection), the fixture batches as the list and each by id, and the
 * cancelled batch for "Cancel" of the one under way. Refusals, replays and other counts are a
 * test's own `server.use(...)`.
 */
export const resendBatchHandlers = [
  http.post('/api/resend-batches', async ({ request }) => {
    if (createResendBatchRequestSchema.parse(await request.json()).dry_run) return HttpResponse.json(resendPreviewFixture);
    return HttpResponse.json(runningBatchFixture, { status: 202 });
  }),

  http.get('/api/resend-batches', () => HttpResponse.json({ items: resendBatchFixtures.map(listedBatch), next_cursor: null })),

  http.get('/api/resend-batches/:batchId', ({ params }) => {
    const found = resendBatchFixtures.find((batch) => batch.id === params.batchId);
    if (!found) return apiErrorResponse(404, 'resend_batch_not_found', `No bulk resend ${String(params.batchId)} is known to the console.`);
    return HttpResponse.json(found);
  }),

  http.post('/api/resend-batches/:batchId/cancel', ({ params }) => {
    if (params.batchId !== runningBatchFixture.id) {
      return apiErrorResponse(404, 'resend_batch_not_found', `No bulk resend ${String(params.batchId)} is known to the console.`);
    }
    return HttpResponse.json(cancelledBatchFixture);
  }),
];
