import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { sessionQueries } from '../lib/session-queries.ts';
import { apiErrorResponse } from '../mocks/api-error-response.ts';
import { dispatcherSession, supportSession, viewerSession } from '../mocks/fixtures/session-fixtures.ts';
import { server } from '../mocks/node.ts';
import { renderApp } from '../test/render.tsx';

vi.setConfig({ testTimeout: 20_000 });

const notSignedIn = () => apiErrorResponse(401, 'not_signed_in', 'Sign in to continue.');

function signedInAs(session: typeof viewerSession) {
  server.use(http.get('/api/session', () => HttpResponse.json(session)));
}

function navLinks(): string[] {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent ?? '');
}

describe('Session', () => {
  it('shows a quiet loading state until the session is known, then who is signed in', async () => {
    let answer: () => void = () => {};
    server.use(
      http.get('/api/session', async () => {
        await new Promise<void>((resolve) => {
          answer = resolve;
        });
        return HttpResponse.json(dispatcherSession);
      }),
    );
    renderApp({ route: '/' });

    expect(await screen.findByRole('status')).toHaveTextContent('Opening the console…');
    expect(screen.queryByRole('banner')).not.toBeInTheDocument();
    answer();

    const banner = await screen.findByRole('banner', {}, { timeout: 5000 });
    expect(banner).toHaveTextContent(/Signed in as\s*Dana Dispatcher/);
    expect(banner).toHaveTextContent('Dispatcher');
    expect(within(banner).getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
  });

  it('sends someone without a session to the sign-in page, and back after signing in', async () => {
    server.use(http.get('/api/session', notSignedIn));
    const { user, router } = renderApp({ route: '/operations?status=failed' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' }, { timeout: 5000 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.search).toEqual({ redirect: '/operations?status=failed' });

    await user.click(await screen.findByRole('button', { name: 'Use the viewer demo account' }));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(router.state.location.href).toBe('/operations?status=failed'));
    expect(await screen.findByRole('banner')).toHaveTextContent('Vic Viewer');
  });

  it('goes to the sign-in page when any later request answers 401, and forgets what it had', async () => {
    const { user, router, queryClient } = renderApp({ route: '/audit?action=sign_in' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' }, { timeout: 5000 })).toBeInTheDocument();
    expect(queryClient.getQueryData(sessionQueries.current().queryKey)).toBeDefined();

    // The session ends on the server (expired, or an admin disabled the account); the next refresh finds out.
    server.use(http.get('/api/audit', notSignedIn), http.get('/api/session', notSignedIn));
    await user.click(await screen.findByRole('button', { name: 'Refresh the audit log' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ redirect: '/audit?action=sign_in' });
    await waitFor(() => expect(queryClient.getQueryData(sessionQueries.current().queryKey)).toBeUndefined());
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('goes to the sign-in page when a change answers 401', async () => {
    const { user, router } = renderApp({ route: '/accounts' });
    const select = await screen.findByRole('combobox', { name: 'Role of viewer@fleetops.demo' }, { timeout: 5000 });
    server.use(http.patch('/api/accounts/:id', notSignedIn));

    await user.selectOptions(select, 'support');
    // Someone else's role changes only once confirmed.
    const confirm = await screen.findByRole('alertdialog', { name: /to support\?$/ });
    await user.click(within(confirm).getByRole('button', { name: /^Make .+ support$/ }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ redirect: '/accounts' });
  });

  it('signs out: the server ends the session, the console forgets it and shows the sign-in page', async () => {
    let signedOut = false;
    server.use(
      http.delete('/api/session', ({ request }) => {
        signedOut = request.headers.get('x-csrf-token') !== null;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user, router, queryClient } = renderApp({ route: '/' });
    const banner = await screen.findByRole('banner', {}, { timeout: 5000 });

    await user.click(within(banner).getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(signedOut).toBe(true);
    expect(router.state.location.search).toEqual({});
    await waitFor(() => expect(queryClient.getQueryData(sessionQueries.current().queryKey)).toBeUndefined());
  });

  it('says so when the session cannot be checked at all, and tries again', async () => {
    server.use(http.get('/api/session', () => HttpResponse.error(), { once: true }));
    const { user } = renderApp({ route: '/' });

    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('The console cannot check your sign-in');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
  });
});

describe('Roles', () => {
  it('shows an admin every page', async () => {
    renderApp({ route: '/' });
    await screen.findByRole('banner', {}, { timeout: 5000 });
    expect(navLinks()).toEqual(['Overview', 'Compose', 'Broadcasts', 'Operations', 'Resends', 'Accounts', 'Audit log', 'Webhooks']);
  });

  it('shows a viewer no Compose, and /compose says the role cannot compose', async () => {
    signedInAs(viewerSession);
    renderApp({ route: '/compose' });

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your role (viewer) cannot compose messages' }, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(navLinks()).toEqual(['Overview', 'Broadcasts', 'Operations', 'Resends']);
    expect(screen.queryByRole('textbox', { name: /message/i })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Overview' })).toHaveAttribute('href', '/');
  });

  it('keeps the admin pages from a dispatcher and a support person', async () => {
    signedInAs(dispatcherSession);
    const { unmount } = renderApp({ route: '/accounts' });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your role (dispatcher) cannot manage accounts' }, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(navLinks()).toEqual(['Overview', 'Compose', 'Broadcasts', 'Operations', 'Resends']);
    unmount();

    signedInAs(supportSession);
    renderApp({ route: '/audit' });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Your role (support) cannot read the audit log' }, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(navLinks()).toEqual(['Overview', 'Broadcasts', 'Operations', 'Resends']);
  });
});
