import { http, HttpResponse } from 'msw';
import { sendStatusFixtures } from '../fixtures/send-fixtures.ts';

/**
 * GET /api/sends/{id}: a send the console is still checking with Catena. No mock puts a send in
 * doubt by itself; a test that does (a 504 `send_in_doubt`) answers how it settles with server.use().
 */
export const sendHandlers = [http.get('/api/sends/:id', ({ params }) => HttpResponse.json(sendStatusFixtures.inDoubt(String(params.id))))];
