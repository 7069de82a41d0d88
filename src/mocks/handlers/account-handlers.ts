import { http, HttpResponse } from 'msw';
import { createAccountRequestSchema, updateAccountRequestSchema } from '../../../contracts/access-schemas.ts';
import { apiErrorResponse } from '../api-error-response.ts';
import { accountFixtures, auditFixtures, changedAccount, createdAccount } from '../fixtures/account-fixtures.ts';

/**
 * Accounts and the audit log answered with fixtures: the list and the log are the fixtures
 * (whatever the query asks), a new account or a change answers the account built from the
 * request. Nothing is kept: a test that wants a change to show in the next list, the server's
 * refusals (an email taken, the last admin), or the log filtered or paged, sets that up with its
 * own `server.use(...)`.
 */
export const accountHandlers = [
  http.get('/api/accounts', () => HttpResponse.json({ items: accountFixtures() })),

  http.post('/api/accounts', async ({ request }) => {
    const account = createdAccount(createAccountRequestSchema.parse(await request.json()));
    return HttpResponse.json(account, { status: 201 });
  }),

  http.patch('/api/accounts/:id', async ({ params, request }) => {
    const current = accountFixtures().find((account) => account.id === params.id);
    if (!current) return apiErrorResponse(404, 'account_not_found', 'No such account.');
    return HttpResponse.json(changedAccount(current, updateAccountRequestSchema.parse(await request.json())));
  }),

  http.get('/api/audit', () => HttpResponse.json({ items: auditFixtures(), next_cursor: null })),
];
