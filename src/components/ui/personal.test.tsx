import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskPersonal } from '../../lib/personal-data.ts';
import { adminSession, dispatcherSession } from '../../mocks/fixtures/session-fixtures.ts';
import { usePreferencesStore } from '../../stores/preferences-store.ts';
import { renderApp } from '../../test/render.tsx';

vi.setConfig({ testTimeout: 20_000 });

afterEach(() => usePreferencesStore.getState().setPresenter(false));

describe('presenter mode masks personal data', () => {
  it('keeps the shape, not the person', () => {
    expect(maskPersonal('email', 'dana.dispatcher@fleetops.demo')).toBe('d•••@•••');
    expect(maskPersonal('phone', '+1 (815) 555-0142')).toBe('••• ••• ••42');
    expect(maskPersonal('licence', 'D123-4567-8901')).toBe('••••••••');
  });

  it('on the Accounts page', async () => {
    usePreferencesStore.getState().setPresenter(true);
    renderApp({ route: '/accounts' });
    const table = await screen.findByRole('table', { name: /accounts/i });
    expect(within(table).queryByText('contractor@fleetops.demo')).not.toBeInTheDocument();
    expect(within(table).getAllByText('c•••@•••').length).toBeGreaterThan(0);
    // Nor in the names of its controls, which a screen reader (or a shared screen's tooltip) reads out.
    expect(within(table).getAllByRole('button', { name: 'Reset password for c•••@•••' }).length).toBeGreaterThan(0);
    expect(document.body.innerHTML).not.toContain('contractor@fleetops.demo');
  });

  it('in the audit log', async () => {
    usePreferencesStore.getState().setPresenter(true);
    renderApp({ route: '/audit' });
    const table = await screen.findByRole('table');
    expect(within(table).queryByText(dispatcherSession.user.email)).not.toBeInTheDocument();
    expect(within(table).getAllByText(`${dispatcherSession.user.email.slice(0, 1)}•••@•••`).length).toBeGreaterThan(0);
  });

  it('in the signed-in user menu', async () => {
    usePreferencesStore.getState().setPresenter(true);
    renderApp({ route: '/' });
    const who = await screen.findByText(adminSession.user.name);
    expect(who.closest('[title]')).toHaveAttribute('title', `${adminSession.user.email.slice(0, 1)}•••@•••`);
  });
});
