import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../../../contracts/access-schemas.ts';
import { auditFixtures, contractorAccountId } from '../../../mocks/fixtures/account-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { usePreferencesStore } from '../../../stores/preferences-store.ts';
import { renderApp } from '../../../test/render.tsx';

vi.setConfig({ testTimeout: 20_000 });

async function renderAudit(route = '/audit') {
  const rendered = renderApp({ route });
  const table = await screen.findByRole('table', { name: /^Audit log/ }, { timeout: 5000 });
  return { ...rendered, table };
}

function bodyRows(table: HTMLElement): HTMLElement[] {
  return within(table).getAllByRole('row').slice(1);
}

/** Answers the log's entries for the action the page asks for (all of them without one), and records what it asked. */
function auditByAction(): (string | null)[] {
  const asked: (string | null)[] = [];
  server.use(
    http.get('/api/audit', ({ request }) => {
      const action = new URL(request.url).searchParams.get('action');
      asked.push(action);
      return HttpResponse.json({ items: auditFixtures().filter((entry) => !action || entry.action === action), next_cursor: null });
    }),
  );
  return asked;
}

describe('Audit log', () => {
  it('lists what happened newest first: when, who by name, the action in words, target and details', async () => {
    const { table } = await renderAudit();
    const rows = bodyRows(table);
    expect(rows).toHaveLength(11);

    const [sent] = rows;
    expect(within(sent!).getByRole('link', { name: 'Dana Dispatcher' })).toHaveAttribute(
      'href',
      '/accounts?account=1b7e4a2c-9d3f-4e8a-b5c6-7d8e9f0a1b2c',
    );
    expect(sent).toHaveTextContent('dispatcher@fleetops.demo');
    expect(sent).toHaveTextContent('Sent a message');
    expect(sent).not.toHaveTextContent('message_sent');
    expect(within(sent!).getByRole('link', { name: 'Operation' })).toHaveAttribute('href', '/operations?op=7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f');
    expect(sent).toHaveTextContent(/recipient_id\s*driver-1042/);
    expect(sent).toHaveTextContent(/is_sync\s*false/);
    expect(within(sent!).getByRole('rowheader').querySelector('time')).toHaveAttribute('dateTime', '2026-11-27T08:14:00.000Z');
    expect(rows[2]).toHaveTextContent(/Not signed in\s*Failed to sign in\s*No account has this address/);
  });

  it('links each target to where it can be seen, and says the rest in words', async () => {
    const { table } = await renderAudit();
    const [, , , updated, broadcast, , batch, incident, scenario, replayed, formerly] = bodyRows(table);

    expect(within(updated!).getByRole('link', { name: 'Casey Contractor' })).toHaveAttribute('href', `/accounts?account=${contractorAccountId}`);
    expect(updated).toHaveTextContent('contractor@fleetops.demo');
    expect(within(broadcast!).getByRole('link', { name: 'Broadcast' })).toHaveAttribute('href', '/broadcasts/bc-2026-11-26-01');
    expect(batch).toHaveTextContent('Started a bulk resend');
    expect(within(batch!).getByRole('link', { name: 'Bulk resend' })).toHaveAttribute('href', '/resend-batches/a3b4c5d6-0000-4000-8000-000000000007');
    expect(incident).toHaveTextContent("Set a provider incident's failures to resend on recovery");
    expect(within(incident!).getByRole('link', { name: 'Provider incident' })).toHaveAttribute(
      'href',
      '/operations?incident=e1f2a3b4-0000-4000-8000-000000000003',
    );
    expect(scenario).toHaveTextContent(/Switched a demo scenario on\s*The demo's outage scenario/);
    expect(replayed).toHaveTextContent(/Reactivated webhooks and replayed missed events\s*The webhook subscription/);
    expect(formerly).toHaveTextContent(/An account that no longer exists\s*former.driver.lead@fleetops.demo/);
    expect(within(formerly!).queryByRole('link')).not.toBeInTheDocument();
  });

  it('opens the Accounts page on the account a name links to', async () => {
    const { user, table, router } = await renderAudit();

    await user.click(within(bodyRows(table)[3]!).getByRole('link', { name: 'Casey Contractor' }));

    const accounts = await screen.findByRole('table', { name: /^Accounts/ }, { timeout: 5000 });
    expect(router.state.location.search).toEqual({ account: contractorAccountId });
    const current = within(accounts)
      .getAllByRole('row')
      .filter((row) => row.getAttribute('aria-current') === 'true');
    expect(current).toHaveLength(1);
    expect(current[0]).toHaveTextContent('contractor@fleetops.demo');
  });

  it('masks every e-mail address in presenter mode', async () => {
    usePreferencesStore.getState().setPresenter(true);
    const { table } = await renderAudit();

    expect(table).not.toHaveTextContent('@fleetops.demo');
    expect(table).not.toHaveTextContent('@example.com');
    expect(within(bodyRows(table)[0]!).getByRole('link', { name: 'Dana Dispatcher' })).toBeVisible();
    expect(within(table).getAllByTitle('E-mail address hidden in presenter mode').length).toBeGreaterThan(0);
  });

  it('shows what people typed as text, never as markup', async () => {
    const alert = vi.spyOn(window, 'alert').mockImplementation(() => {});
    const { table } = await renderAudit();

    expect(within(table).getByText('<script>alert(1)</script>@example.com')).toBeVisible();
    expect(within(table).getByText('<img src=x onerror=alert(1)>')).toBeVisible();
    expect(table.querySelector('script, img')).toBeNull();
    expect(alert).not.toHaveBeenCalled();
    alert.mockRestore();
  });

  it('filters by action through the URL', async () => {
    const asked = auditByAction();
    const { user, router, table } = await renderAudit();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'account_updated');

    await waitFor(() => expect(bodyRows(table)).toHaveLength(1));
    expect(bodyRows(table)[0]).toHaveTextContent('Changed an account');
    expect(router.state.location.search).toEqual({ action: 'account_updated' });
    expect(asked).toEqual([null, 'account_updated']);
  });

  it('offers to show every action when a filter matches nothing', async () => {
    const asked = auditByAction();
    const { user } = renderApp({ route: '/audit?action=broadcast_resent' });

    const clear = await screen.findByRole('button', { name: 'Show all actions' }, { timeout: 5000 });
    expect(screen.getByText('No entries for this action')).toBeVisible();
    await user.click(clear);

    expect(await screen.findByRole('table', { name: /^Audit log/ })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Action' })).toHaveValue('');
    expect(asked).toEqual(['broadcast_resent', null]);
  });

  it('loads older entries a page at a time, by cursor', async () => {
    const entries: AuditEntry[] = Array.from({ length: 70 }, (_, index) => ({
      id: 70 - index,
      at: new Date(Date.UTC(2026, 10, 27, 8, 0, 0) - index * 60_000).toISOString(),
      actor_id: null,
      actor_email: `person-${70 - index}@fleetops.demo`,
      actor_name: null,
      action: 'sign_in',
      target: null,
      subject: null,
      details: null,
      ip: null,
    }));
    const cursors: (string | null)[] = [];
    server.use(
      http.get('/api/audit', ({ request }) => {
        const url = new URL(request.url);
        const cursor = url.searchParams.get('cursor');
        const limit = Number(url.searchParams.get('limit'));
        cursors.push(cursor);
        const below = entries.filter((entry) => !cursor || entry.id < Number(cursor));
        const items = below.slice(0, limit);
        return HttpResponse.json({ items, next_cursor: below.length > limit ? String(items.at(-1)?.id) : null });
      }),
    );
    const { user, table } = await renderAudit();
    expect(bodyRows(table)).toHaveLength(50);

    await user.click(screen.getByRole('button', { name: 'Load older entries' }));

    await waitFor(() => expect(bodyRows(table)).toHaveLength(70));
    expect(cursors).toEqual([null, '21']);
    expect(bodyRows(table).at(-1)).toHaveTextContent('person-1@fleetops.demo');
    expect(screen.queryByRole('button', { name: 'Load older entries' })).not.toBeInTheDocument();
    expect(screen.getByText('No older entries.')).toBeVisible();
  });
});
