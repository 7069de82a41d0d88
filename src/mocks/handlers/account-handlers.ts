import { http, HttpResponse } from 'msw';
import {
  auditQuerySchema,
  createAccountRequestSchema,
  updateAccountRequestSchema,
  type Account,
  type AuditEntry,
} from '../../../contracts/access-schemas.ts';
import { accountFixtures, auditFixtures } from '../fixtures/account-fixtures.ts';
import { adminSession } from '../fixtures/session-fixtures.ts';
import { apiErrorResponse } from '../api-error-response.ts';

/*
 * Accounts and the audit log, kept in memory so a change shows in the next list, with the
 * server's rules: unique emails, never demote or disable the last active admin. Tests that change
 * accounts call resetAccountMocks() first; the browser demo keeps its changes until a reload.
 */
let accounts: Account[] = accountFixtures();
let audit: AuditEntry[] = auditFixtures();

export function resetAccountMocks(): void {
  accounts = accountFixtures();
  audit = auditFixtures();
}

/** An admin's change to an account, as the server would answer it in the log. */
function record(action: 'account_created' | 'account_updated', account: Account, details: Record<string, unknown>): void {
  const id = (audit[0]?.id ?? 0) + 1;
  const { user } = adminSession;
  const subject = { kind: 'account', id: account.id, email: account.email, name: account.name } as const;
  audit = [
    {
      id,
      at: new Date().toISOString(),
      actor_id: user.id,
      actor_email: user.email,
      actor_name: user.name,
      action,
      target: account.email,
      subject,
      details,
      ip: '127.0.0.1',
    },
    ...audit,
  ];
}

export const accountHandlers = [
  http.get('/api/accounts', () => HttpResponse.json({ items: accounts })),

  http.post('/api/accounts', async ({ request }) => {
    const parsed = createAccountRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return apiErrorResponse(400, 'invalid_input', 'The account is not valid.', { details: parsed.error.issues });
    const { email, name, role } = parsed.data;
    if (accounts.some((account) => account.email === email)) {
      return apiErrorResponse(409, 'email_taken', `An account for ${email} exists already.`, { details: { field: 'email' } });
    }
    const now = new Date().toISOString();
    const account: Account = { id: crypto.randomUUID(), email, name, role, disabled: false, created_at: now, updated_at: now, last_sign_in_at: null };
    accounts = [...accounts, account].sort((a, b) => a.email.localeCompare(b.email));
    record('account_created', account, { role });
    return HttpResponse.json(account, { status: 201 });
  }),

  http.patch('/api/accounts/:id', async ({ params, request }) => {
    const current = accounts.find((account) => account.id === params.id);
    if (!current) return apiErrorResponse(404, 'account_not_found', 'No such account.');
    const parsed = updateAccountRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return apiErrorResponse(400, 'invalid_input', 'The change is not valid.', { details: parsed.error.issues });
    const change = parsed.data;
    const losesAdmin =
      current.role === 'admin' && !current.disabled && (change.disabled === true || (change.role !== undefined && change.role !== 'admin'));
    const activeAdmins = accounts.filter((account) => account.role === 'admin' && !account.disabled).length;
    if (losesAdmin && activeAdmins <= 1) {
      return apiErrorResponse(409, 'last_admin', 'This is the last active admin; make another admin first.');
    }
    const updated: Account = {
      ...current,
      role: change.role ?? current.role,
      name: change.name ?? current.name,
      disabled: change.disabled ?? current.disabled,
      updated_at: new Date().toISOString(),
    };
    accounts = accounts.map((account) => (account.id === updated.id ? updated : account));
    record('account_updated', updated, {
      ...(change.role ? { role: change.role } : {}),
      ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
      ...(change.password ? { password: 'changed' } : {}),
    });
    return HttpResponse.json(updated);
  }),

  http.get('/api/audit', ({ request }) => {
    const url = new URL(request.url);
    const query = auditQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return apiErrorResponse(400, 'invalid_input', 'The audit query is not valid.', { details: query.error.issues });
    const { action, cursor, limit } = query.data;
    const matching = audit.filter((entry) => (!action || entry.action === action) && (!cursor || entry.id < cursor));
    const items = matching.slice(0, limit);
    const last = items.at(-1);
    return HttpResponse.json({ items, next_cursor: matching.length > limit && last ? String(last.id) : null });
  }),
];
