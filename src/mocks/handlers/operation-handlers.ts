import { http, HttpResponse } from 'msw';
import type { Operation, OperationPage, OperationSummary } from '../../../contracts/operation-schemas.ts';
import { operationFacetsFixture, operationFailuresFixture, operationFixtures, operationSummaryFixture } from '../fixtures/operation-fixtures.ts';
import { burstTimelineFixture } from '../fixtures/timeline-fixtures.ts';

/**
 * GET /api/operations and its counts, answered from fixtures whatever the query asks: the
 * server's filters, search, sort and counting are the server's (and its tests'). A test that
 * needs an answer for a filter overrides the handler and asserts the query the page sent.
 */

/** A page of `items` in the order given; cursors are plain offsets into the list. */
export function pageOf(items: readonly Operation[], request: Request): OperationPage {
  const params = new URL(request.url).searchParams;
  const offset = Number(params.get('cursor') ?? 0);
  const limit = Number(params.get('limit') ?? 50);
  return { items: items.slice(offset, offset + limit), next_cursor: offset + limit < items.length ? String(offset + limit) : null };
}

type Answer<T> = (params: URLSearchParams) => T;
const paramsOf = (request: Request) => new URL(request.url).searchParams;

/**
 * The list from `source` and the counts from `summary`, both asked on every request: a test can
 * change them between polls, or answer what a query asks for (and assert the query).
 */
export function operationHandlersFor(source: Answer<readonly Operation[]>, summary: Answer<OperationSummary> = () => operationSummaryFixture) {
  return [
    http.get('/api/operations/summary', ({ request }) => HttpResponse.json(summary(paramsOf(request)))),
    http.get('/api/operations/facets', () => HttpResponse.json(operationFacetsFixture)),
    http.get('/api/operations/failures', ({ request }) =>
      HttpResponse.json({
        from: paramsOf(request).get('from') ?? new Date(Date.now() - 86_400_000).toISOString(),
        items: operationFailuresFixture,
      }),
    ),
    http.get('/api/operations/timeline', () => HttpResponse.json(burstTimelineFixture)),
    http.get('/api/operations', ({ request }) => HttpResponse.json(pageOf(source(paramsOf(request)), request))),
  ];
}

export const operationHandlers = operationHandlersFor(() => operationFixtures);
