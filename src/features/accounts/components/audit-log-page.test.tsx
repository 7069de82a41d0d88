import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../../../contracts/access-schemas.ts';
import { resetAccountMocks } from '../../../mocks/handlers/account-handlers.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

beforeEach(() => resetAccountMocks());
vi.setConfig({ testTimeout: 20_000 });

async function renderAudit(route = '/audit') {
  const rendered = renderApp({ route });
  const table = await screen.findByRole('table', { name: /^Audit log/ }, { timeout: 5000 });
  return { ...rendered, table };
}

function bodyRows(table: HTMLElement): HTMLElement[] {
  return within(table).getAllByRole('row').slice(1);
}

describe('Audit log', () => {
  it('lists what happened newest first: when, who, the action in words, target and details', async () => {
    const { table } = await renderAudit();
    const rows = bodyRows(table);
    expect(rows).toHaveLength(6);

    const [sent] = rows;
    expect(sent).toHaveTextContent('dispatcher@fleetops.demo');
    expect(sent).toHaveTextContent(/Sent a message\s*message_sent/);
    expect(sent).toHaveTextContent('7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f');
    expect(sent).toHaveTextContent(/recipient_id\s*driver-1042/);
    expect(sent).toHaveTextContent(/is_sync\s*false/);
    expect(within(sent!).getByRole('rowheader').querySelector('time')).toHaveAttribute('dateTime', '2026-11-27T08:14:00.000Z');
    expect(rows[2]).toHaveTextContent(/Not signed in\s*Failed to sign in/);
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
    const { user, router, table } = await renderAudit();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Action' }), 'account_updated');

    await waitFor(() => expect(bodyRows(table)).toHaveLength(1));
    expect(bodyRows(table)[0]).toHaveTextContent('Changed an account');
    expect(router.state.location.search).toEqual({ action: 'account_updated' });
  });

  it('offers to show every action when a filter matches nothing', async () => {
    const { user } = renderApp({ route: '/audit?action=broadcast_resent' });

    const clear = await screen.findByRole('button', { name: 'Show all actions' }, { timeout: 5000 });
    expect(screen.getByText('No entries for this action')).toBeVisible();
    await user.click(clear);

    expect(await screen.findByRole('table', { name: /^Audit log/ })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Action' })).toHaveValue('');
  });

  it('loads older entries a page at a time, by cursor', async () => {
    const entries: AuditEntry[] = Array.from({ length: 70 }, (_, index) => ({
      id: 70 - index,
      at: new Date(Date.UTC(2026, 10, 27, 8, 0, 0) - index * 60_000).toISOString(),
      actor_id: null,
      actor_email: `person-${70 - index}@fleetops.demo`,
      action: 'sign_in',
      target: null,
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
