import { http } from 'msw';
import { apiErrorResponse } from '../api-error-response.ts';

/**
 * By default the console talks to real Catena: no demo routes (decision 0047). Tests of the Demo
 * page override these with a simulator's state (src/mocks/fixtures/demo-fixtures.ts).
 */
export const demoHandlers = [
  http.all('/api/demo', ({ request }) => apiErrorResponse(404, 'not_found', `There is no ${request.method} /api/demo in this API.`)),
  http.all('/api/demo/*', ({ request }) =>
    apiErrorResponse(404, 'not_found', `There is no ${request.method} ${new URL(request.url).pathname} in this API.`),
  ),
];
