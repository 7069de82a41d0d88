import { http, HttpResponse } from 'msw';
import { signInRequestSchema } from '../../../contracts/access-schemas.ts';
import { apiErrorResponse } from '../api-error-response.ts';
import { adminSession, demoAccounts, sessionsByRole } from '../fixtures/session-fixtures.ts';

/**
 * Signed in as the admin by default. Sign-in takes the demo accounts' passwords and answers with
 * that role's session; anything else is the server's one answer for a wrong email or password.
 */
export const sessionHandlers = [
  http.get('/api/session', () => HttpResponse.json(adminSession)),
  http.get('/api/session/options', () => HttpResponse.json({ demo_accounts: demoAccounts })),
  http.post('/api/session', async ({ request }) => {
    const parsed = signInRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return apiErrorResponse(400, 'invalid_input', 'The sign-in is not valid.', { details: parsed.error.issues });
    const account = demoAccounts.find((demo) => demo.email === parsed.data.email && demo.password === parsed.data.password);
    if (!account) return apiErrorResponse(401, 'sign_in_failed', 'The email or the password is wrong.');
    return HttpResponse.json(sessionsByRole[account.role]);
  }),
  http.delete('/api/session', () => new HttpResponse(null, { status: 204 })),
];
