import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { Account } from '../../../../contracts/access-schemas.ts';
import { apiErrorResponse } from '../../../mocks/api-error-response.ts';
import { accountFixtures, changedAccount, createdAccount } from '../../../mocks/fixtures/account-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

vi.setConfig({ testTimeout: 20_000 });

function account(email: string): Account {
  const found = accountFixtures().find((candidate) => candidate.email === email);
  if (!found) throw new Error(`no account fixture ${email}`);
  return found;
}

/** The server keeps what it answered: the next list holds the fixtures with each account this test created or changed. */
function listKeepsChanges(): { bodies: unknown[] } {
  let accounts = accountFixtures();
  const bodies: unknown[] = [];
  server.use(
    http.get('/api/accounts', () => HttpResponse.json({ items: accounts })),
    http.post('/api/accounts', async ({ request }) => {
      const body = (await request.json()) as Pick<Account, 'email' | 'name' | 'role'>;
      bodies.push(body);
      const created = createdAccount(body);
      accounts = [...accounts, created];
      return HttpResponse.json(created, { status: 201 });
    }),
    http.patch('/api/accounts/:id', async ({ params, request }) => {
      const body = (await request.json()) as Partial<Pick<Account, 'role' | 'disabled'>>;
      bodies.push(body);
      const current = accounts.find((candidate) => candidate.id === params.id);
      if (!current) return apiErrorResponse(404, 'account_not_found', 'No such account.');
      const changed = changedAccount(current, body);
      accounts = accounts.map((candidate) => (candidate.id === changed.id ? changed : candidate));
      return HttpResponse.json(changed);
    }),
  );
  return { bodies };
}

/** The server refuses any change that would leave no active admin: here, any change to the only admin. */
function lastAdminRefused() {
  server.use(
    http.patch(`/api/accounts/${account('admin@fleetops.demo').id}`, () =>
      apiErrorResponse(409, 'last_admin', 'This is the last active admin; make another admin first.'),
    ),
  );
}

async function renderAccounts() {
  const rendered = renderApp({ route: '/accounts' });
  const table = await screen.findByRole('table', { name: /^Accounts/ }, { timeout: 5000 });
  return { ...rendered, table };
}

function row(table: HTMLElement, email: string): HTMLElement {
  const match = within(table)
    .getAllByRole('row')
    .find((candidate) => candidate.textContent?.includes(email));
  if (!match) throw new Error(`no row for ${email}`);
  return match;
}

describe('Accounts page', () => {
  it('lists every account with its role, status and last sign-in', async () => {
    const { table } = await renderAccounts();

    expect(screen.getByRole('heading', { level: 1, name: 'Accounts' })).toBeInTheDocument();
    const admin = row(table, 'admin@fleetops.demo');
    expect(within(admin).getByRole('rowheader')).toHaveTextContent(/Avery Admin\s*you/);
    expect(within(admin).getByRole('combobox', { name: 'Role of admin@fleetops.demo' })).toHaveValue('admin');
    expect(admin).toHaveTextContent('Active');

    const contractor = row(table, 'contractor@fleetops.demo');
    expect(contractor).toHaveTextContent('Disabled');
    expect(within(contractor).getByRole('button', { name: 'Enable contractor@fleetops.demo' })).toBeInTheDocument();
    expect(row(table, 'support@fleetops.demo')).toHaveTextContent('Never');
  });

  it('adds an account, checking the fields first', async () => {
    const { bodies } = listKeepsChanges();
    const { user, table } = await renderAccounts();
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const dialog = screen.getByRole('dialog', { name: 'Add account' });
    expect(within(dialog).getByLabelText('Name')).toHaveFocus();

    await user.type(within(dialog).getByLabelText('Name'), 'Riley Reviewer');
    await user.type(within(dialog).getByLabelText('Email'), 'riley@fleetops.demo');
    await user.selectOptions(within(dialog).getByLabelText('Role'), 'support');
    await user.type(within(dialog).getByLabelText('Password'), 'too-short');
    await user.click(within(dialog).getByRole('button', { name: 'Add account' }));

    const password = within(dialog).getByLabelText('Password');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(/Use at least 12 characters\./);
    expect(password).toHaveFocus();

    await user.type(password, '-but-now-long-enough');
    await user.click(within(dialog).getByRole('button', { name: 'Add account' }));

    expect(await screen.findByText('Added riley@fleetops.demo. They can sign in now.')).toBeVisible();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add account' })).toHaveFocus();
    await waitFor(() => expect(within(row(table, 'riley@fleetops.demo')).getByRole('combobox')).toHaveValue('support'));
    // Only the long enough password went to the server.
    expect(bodies).toEqual([{ name: 'Riley Reviewer', email: 'riley@fleetops.demo', role: 'support', password: 'too-short-but-now-long-enough' }]);
  });

  it('shows an email that has an account already on the email field', async () => {
    server.use(
      http.post('/api/accounts', () =>
        apiErrorResponse(409, 'email_taken', 'An account for dispatcher@fleetops.demo exists already.', { details: { field: 'email' } }),
      ),
    );
    const { user } = await renderAccounts();
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    const dialog = screen.getByRole('dialog', { name: 'Add account' });
    await user.type(within(dialog).getByLabelText('Name'), 'Dana Again');
    await user.type(within(dialog).getByLabelText('Email'), 'dispatcher@fleetops.demo');
    await user.click(within(dialog).getByRole('button', { name: 'Suggest a strong password' }));
    // A suggested password is long enough, and shown so it can be handed over.
    const suggested = within(dialog).getByLabelText<HTMLInputElement>('Password');
    expect(suggested.value.length).toBeGreaterThanOrEqual(12);
    expect(suggested).toHaveAttribute('type', 'text');
    await user.click(within(dialog).getByRole('button', { name: 'Add account' }));

    const email = within(dialog).getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAccessibleDescription('An account for dispatcher@fleetops.demo exists already.'));
    expect(email).toHaveFocus();
  });

  it("changes someone's role after a confirmation that names them, the old role and the new", async () => {
    const { bodies } = listKeepsChanges();
    const { user, table } = await renderAccounts();
    const select = within(row(table, 'dispatcher@fleetops.demo')).getByRole('combobox', { name: 'Role of dispatcher@fleetops.demo' });

    await user.selectOptions(select, 'viewer');
    const cancelled = screen.getByRole('alertdialog', { name: /^Change .+ from dispatcher to viewer\?$/ });
    expect(cancelled).toHaveTextContent('They will be signed out');
    expect(within(cancelled).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(select).toHaveValue('dispatcher');

    await user.selectOptions(select, 'viewer');
    const confirm = screen.getByRole('alertdialog', { name: /from dispatcher to viewer/ });
    await user.click(within(confirm).getByRole('button', { name: /^Make .+ viewer$/ }));

    await waitFor(() => expect(select).toBeEnabled());
    expect(select).toHaveValue('viewer');
    expect(within(row(table, 'dispatcher@fleetops.demo')).queryByRole('alert')).not.toBeInTheDocument();
    expect(bodies).toEqual([{ role: 'viewer' }]);
  });

  it('asks before changing your own role, and shows why the last admin cannot stop being one', async () => {
    lastAdminRefused();
    const { user, table } = await renderAccounts();
    const select = within(row(table, 'admin@fleetops.demo')).getByRole('combobox', { name: 'Role of admin@fleetops.demo' });

    await user.selectOptions(select, 'dispatcher');
    const confirm = screen.getByRole('alertdialog', { name: 'Make yourself dispatcher?' });
    expect(confirm).toHaveTextContent('You will be signed out');
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Change my role' }));

    const alert = await within(row(table, 'admin@fleetops.demo')).findByRole('alert');
    expect(alert).toHaveTextContent('This is the last active admin; make another admin first.');
    expect(select).toHaveValue('admin');
    expect(select).toHaveAccessibleDescription(/last active admin/);
  });

  it('disables an account after asking, and keeps the dialog open with the reason when the server refuses', async () => {
    const { bodies } = listKeepsChanges();
    lastAdminRefused();
    const { user, table } = await renderAccounts();

    await user.click(within(row(table, 'viewer@fleetops.demo')).getByRole('button', { name: 'Disable viewer@fleetops.demo' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Disable viewer@fleetops.demo?' });
    expect(confirm).toHaveTextContent(/signed out at once/);
    await user.click(within(confirm).getByRole('button', { name: 'Disable account' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() => expect(row(table, 'viewer@fleetops.demo')).toHaveTextContent('Disabled'));
    expect(bodies).toEqual([{ disabled: true }]);

    await user.click(within(row(table, 'admin@fleetops.demo')).getByRole('button', { name: 'Disable admin@fleetops.demo' }));
    const own = screen.getByRole('alertdialog', { name: 'Disable admin@fleetops.demo?' });
    await user.click(within(own).getByRole('button', { name: 'Disable account' }));
    expect(await within(own).findByRole('alert')).toHaveTextContent('This is the last active admin; make another admin first.');
    expect(within(own).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('sets a new password', async () => {
    const { user, table } = await renderAccounts();
    await user.click(within(row(table, 'support@fleetops.demo')).getByRole('button', { name: 'Reset password for support@fleetops.demo' }));
    const dialog = screen.getByRole('dialog', { name: 'Reset the password of Sam Support' });
    const password = within(dialog).getByLabelText('New password');
    expect(password).toHaveFocus();

    await user.type(password, 'a-brand-new-passphrase');
    await user.click(within(dialog).getByRole('button', { name: 'Set new password' }));

    expect(await screen.findByRole('dialog', { name: 'New password set' })).toHaveTextContent('support@fleetops.demo has a new password.');
  });

  it('says why the accounts could not load, and tries again', async () => {
    server.use(http.get('/api/accounts', () => apiErrorResponse(503, 'unavailable', 'The store is not answering.'), { once: true }));
    const { user } = renderApp({ route: '/accounts' });

    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent(/Could not load the accounts\s*The store is not answering\./);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: /^Accounts/ })).toBeInTheDocument();
  });
});
