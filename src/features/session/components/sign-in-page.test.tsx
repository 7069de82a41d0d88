import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { formatClockTime } from '../../../lib/format.ts';
import { apiErrorResponse } from '../../../mocks/api-error-response.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

// Whole flows (type, sign in, land on the page) through real providers take a few seconds.
vi.setConfig({ testTimeout: 20_000 });

async function renderSignIn(route = '/sign-in') {
  const rendered = renderApp({ route });
  // The first render of a file loads every module: give it time on a busy machine.
  await screen.findByRole('heading', { level: 1, name: 'Sign in' }, { timeout: 5000 });
  return rendered;
}

describe('Sign-in page', () => {
  it('signs in and goes back to where the person was going', async () => {
    const { user, router } = await renderSignIn('/sign-in?redirect=%2Faudit%3Faction%3Dsign_in');
    const email = screen.getByLabelText('Email');
    expect(email).toHaveFocus();

    await user.type(email, 'Admin@FleetOps.demo');
    await user.type(screen.getByLabelText('Password'), 'demo-admin-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/audit');
    expect(router.state.location.search).toEqual({ action: 'sign_in' });
    expect(screen.getByRole('banner')).toHaveTextContent(/Avery Admin\s*,?\s*role\s*Admin/);
  });

  it('goes to the Overview when there is nowhere to go back to, or the redirect leaves the console', async () => {
    const { user, router } = await renderSignIn('/sign-in?redirect=https%3A%2F%2Fevil.example%2F');
    await user.type(screen.getByLabelText('Email'), 'viewer@fleetops.demo');
    await user.type(screen.getByLabelText('Password'), 'demo-viewer-password');
    await user.keyboard('{Enter}');

    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
    expect(router.state.location.href).toBe('/');
  });

  it('says when the email or the password is wrong, and selects the password to type again', async () => {
    const { user } = await renderSignIn();
    await user.type(screen.getByLabelText('Email'), 'viewer@fleetops.demo');
    await user.type(screen.getByLabelText('Password'), 'not-the-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The email or the password is wrong.');
    expect(screen.getByLabelText('Password')).toHaveFocus();
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
  });

  it('says how long to wait when sign-in is paused after too many failures', async () => {
    server.use(
      http.post('/api/session', () =>
        apiErrorResponse(429, 'too_many_attempts', 'Too many failed sign-ins for this account from this network. Try again in 15 min.', {
          headers: { 'Retry-After': '900' },
          details: { retry_after_seconds: 900, scope: 'account_and_address' },
        }),
      ),
    );
    const { user } = await renderSignIn();
    await user.type(screen.getByLabelText('Email'), 'viewer@fleetops.demo');
    await user.type(screen.getByLabelText('Password'), 'guess-number-six');
    const before = Date.now();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    const after = Date.now();
    expect(alert).toHaveTextContent('Signing in is paused.');
    expect(alert).toHaveTextContent('Try again in 15 min.');
    // The clock time 15 minutes after the answer came, on this device: some second between the
    // click and the alert (a busy machine may take more than one).
    const clock = alert.textContent?.match(/try again at (\d\d:\d\d:\d\d)/)?.[1];
    const expected = Array.from({ length: Math.floor((after - before) / 1000) + 2 }, (_, s) => formatClockTime(before + 900_000 + s * 1000));
    expect(expected).toContain(clock);
    expect(alert).toHaveFocus();
  });

  it('says only what the server said when a pause comes without details', async () => {
    server.use(
      http.post('/api/session', () => apiErrorResponse(429, 'too_many_attempts', 'Too many failed sign-ins from this network. Try again in 40 s.')),
    );
    const { user } = await renderSignIn();
    await user.type(screen.getByLabelText('Email'), 'viewer@fleetops.demo');
    await user.type(screen.getByLabelText('Password'), 'guess-number-seven');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Signing in is paused.');
    expect(alert).toHaveTextContent('Too many failed sign-ins from this network. Try again in 40 s.');
    expect(alert).not.toHaveTextContent('try again at');
  });

  it('says when the console server cannot be reached', async () => {
    server.use(http.post('/api/session', () => HttpResponse.error()));
    const { user } = await renderSignIn();
    await user.type(screen.getByLabelText('Email'), 'viewer@fleetops.demo');
    await user.type(screen.getByLabelText('Password'), 'demo-viewer-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(/cannot be reached.*Could not reach the console server/);
  });

  it('checks the fields before asking the server', async () => {
    const { user } = await renderSignIn();
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const email = screen.getByLabelText('Email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter an email address.');
    expect(email).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
  });

  it('lists the demo accounts with the simulator, and "Use" fills in the form', async () => {
    const { user } = await renderSignIn();
    const demo = await screen.findByRole('region', { name: 'Demo accounts' });
    expect(demo).toHaveTextContent(/runs against the Catena simulator/);
    const roles = within(demo)
      .getAllByRole('listitem')
      .map((item) => within(item).getByText(/^(Admin|Dispatcher|Support|Viewer)$/).textContent);
    expect(roles).toEqual(['Admin', 'Dispatcher', 'Support', 'Viewer']);

    await user.click(within(demo).getByRole('button', { name: 'Use the dispatcher demo account' }));

    expect(screen.getByLabelText('Email')).toHaveValue('dispatcher@fleetops.demo');
    expect(screen.getByLabelText('Password')).toHaveValue('demo-dispatcher-password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveFocus();

    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Dana Dispatcher');
  });

  it('shows no demo accounts against a real Catena', async () => {
    server.use(http.get('/api/session/options', () => HttpResponse.json({ demo_accounts: null })));
    await renderSignIn();
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Demo accounts' })).not.toBeInTheDocument());
    expect(screen.queryByText(/demo-admin-password/)).not.toBeInTheDocument();
  });
});
