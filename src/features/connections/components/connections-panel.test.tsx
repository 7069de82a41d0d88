import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { connectionFixtures, connectionsWithHealth, healthFixture } from '../../../mocks/fixtures/connection-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

function connectionsTable() {
  return screen.findByRole('table', { name: /connections/i });
}

describe('Overview: connections', () => {
  it('lists every connection with its TSP and a status in words', async () => {
    renderApp();

    const table = await connectionsTable();
    const northwind = within(table).getByRole('row', { name: /northwind freight/i });
    expect(within(northwind).getByRole('cell', { name: 'Samsara' })).toBeInTheDocument();
    expect(within(northwind).getByText('Active')).toBeInTheDocument();

    const summit = within(table).getByRole('row', { name: /summit transport/i });
    // Catena's status, in its own cell (the health beside it says paused too).
    expect(within(summit).getByRole('cell', { name: 'Paused' })).toBeInTheDocument();
    expect(within(summit).getByText(/paused by the fleet/i)).toBeInTheDocument();
    // A paused connection takes no writes: there are no failures of it to link to.
    expect(within(summit).queryByRole('link', { name: /^see /i })).not.toBeInTheDocument();

    expect(within(table).getAllByRole('row')).toHaveLength(1 + 5);
    expect(screen.getByText('5 connections · 1 not active · 1 failing')).toBeInTheDocument();
  });

  it('opens a connection’s operations from anywhere on its row, or from the keyboard by its name', async () => {
    const northwind = connectionFixtures.find((connection) => connection.name === 'Northwind Freight')!;
    const { user, router } = renderApp();
    const table = await connectionsTable();

    await user.click(within(within(table).getByRole('row', { name: /northwind freight/i })).getByRole('cell', { name: 'Samsara' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/operations'));
    expect(new URL(router.state.location.href, 'http://localhost').searchParams.get('connection')).toContain(northwind.id);

    await router.navigate({ to: '/' });
    const link = within(await connectionsTable()).getByRole('link', { name: 'Northwind Freight: its operations' });
    link.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/operations'));
  });

  it('a link inside a row goes where it says, not to the row’s operations', async () => {
    const { user, router } = renderApp();
    const table = await connectionsTable();
    const coastal = within(table).getByRole('row', { name: /coastal carriers/i });
    const failures = within(coastal).getByRole('link', { name: /^see /i });
    const target = new URL(failures.getAttribute('href')!, 'http://localhost');

    await user.click(failures);

    await waitFor(() => expect(router.state.location.pathname).toBe('/operations'));
    expect(new URL(router.state.location.href, 'http://localhost').search).toBe(target.search);
  });

  it('marks failed, stale and unfamiliar statuses in words', async () => {
    server.use(
      http.get('/api/connections', () =>
        HttpResponse.json({
          items: [
            { ...connectionFixtures[0], status: 'failed' },
            { ...connectionFixtures[1], status: 'stale' },
            { ...connectionFixtures[2], status: 'on_hold' },
          ],
        }),
      ),
    );
    renderApp();

    const table = await connectionsTable();
    expect(within(table).getByRole('row', { name: /blue ridge logistics/i })).toHaveTextContent('Failed');
    expect(within(table).getByRole('row', { name: /coastal carriers/i })).toHaveTextContent('Stale');
    expect(within(table).getByRole('row', { name: /northwind freight/i })).toHaveTextContent('On hold');
    expect(screen.getByText('3 connections · 3 not active · 1 failing')).toBeInTheDocument();
  });

  it('says each connection’s health in words, and links a failing one to its failures', async () => {
    const { user } = renderApp();

    const table = await connectionsTable();
    const coastal = within(table).getByRole('row', { name: /coastal carriers/i });
    // Catena calls it active; its writes say otherwise.
    expect(within(coastal).getByText('Active')).toBeInTheDocument();
    expect(within(coastal).getByText('Failing')).toBeInTheDocument();
    expect(within(coastal).getByText(/^since /)).toBeInTheDocument();
    expect(coastal).toHaveTextContent(/Needs re-authorisation by the fleet: the TSP refused the connection's credentials on the last 5 writes/);

    const northwind = within(table).getByRole('row', { name: /northwind freight/i });
    expect(within(northwind).getByText('Healthy')).toBeInTheDocument();
    expect(within(northwind).queryByRole('link', { name: /see failures/i })).not.toBeInTheDocument();

    await user.click(within(coastal).getByRole('link', { name: 'See failures of Coastal Carriers' }));

    // The Operations page loads its code on first visit: give it time on a busy machine.
    expect(await screen.findByRole('heading', { level: 1, name: 'Operations' }, { timeout: 5000 })).toBeInTheDocument();
    // Filtered to that connection's failed writes, as the filters say.
    expect(await screen.findByRole('button', { name: 'Connection: Coastal Carriers' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Status: Failed' })).toBeInTheDocument();
  });

  it('says a degraded connection is degraded and why, in words', async () => {
    server.use(
      http.get('/api/connections', () => HttpResponse.json({ items: connectionsWithHealth({ 'Prairie Haulers': healthFixture('degraded') }) })),
    );
    renderApp();

    const prairie = within(await connectionsTable()).getByRole('row', { name: /prairie haulers/i });
    expect(within(prairie).getByText('Degraded')).toBeInTheDocument();
    expect(prairie).toHaveTextContent(/3 of the last 4 writes in 15 minutes met network or TSP errors/);
    expect(within(prairie).getByRole('link', { name: 'See network and TSP errors of Prairie Haulers' })).toHaveAttribute(
      'href',
      expect.stringMatching(/[?&]error=network&error=tsp$/),
    );
  });

  it('says so when there are no connections yet', async () => {
    server.use(http.get('/api/connections', () => HttpResponse.json({ items: [] })));
    renderApp();

    expect(await screen.findByRole('heading', { name: 'No connections yet' })).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows why loading failed, and "Try again" loads the list', async () => {
    server.use(
      http.get(
        '/api/connections',
        () =>
          HttpResponse.json(
            { error: { code: 'upstream_unavailable', message: 'Catena did not answer in time. Try again shortly.' } },
            { status: 503 },
          ),
        { once: true },
      ),
    );
    const { user } = renderApp();

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Could not load connections' })).toBeInTheDocument();
    expect(alert).toHaveTextContent('Catena did not answer in time. Try again shortly.');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await connectionsTable()).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the list on screen with a "stale since" badge when a refresh fails', async () => {
    const { user } = renderApp();
    const table = await connectionsTable();

    server.use(
      http.get('/api/connections', () => HttpResponse.json({ error: { code: 'internal', message: 'The database is locked.' } }, { status: 500 })),
    );
    await user.click(screen.getByRole('button', { name: 'Refresh connections' }));

    const stale = await screen.findByText(/stale since \d\d:\d\d:\d\d/i);
    expect(stale.closest('[role="status"]')).toHaveTextContent(/refreshing failed: the database is locked/i);
    expect(table).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /northwind freight/i })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('rejects an answer that does not match the wire schema', async () => {
    server.use(http.get('/api/connections', () => HttpResponse.json({ items: [{ id: 42 }] })));
    renderApp();

    expect(await screen.findByRole('alert')).toHaveTextContent(/answer this console does not understand/i);
  });
});
