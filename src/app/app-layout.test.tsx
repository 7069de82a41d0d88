import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { operationFixture, summaryFixture } from '../mocks/fixtures/operation-fixtures.ts';
import { operationHandlersFor } from '../mocks/handlers/operation-handlers.ts';
import { server } from '../mocks/node.ts';
import { PREFERENCES_STORAGE_KEY } from '../stores/preferences-store.ts';
import { renderApp } from '../test/render.tsx';

describe('App shell', () => {
  it('shows the product name, the main navigation and the Overview page', async () => {
    renderApp();

    expect(await screen.findByRole('banner')).toHaveTextContent('Fleet Ops Console');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(await screen.findByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
    expect(nav).toContainElement(screen.getByRole('link', { name: 'Overview' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
  });

  it('counts stuck work in the header on every page, and opens it in Operations', async () => {
    server.use(
      ...operationHandlersFor(
        () => [operationFixture({ status: 'pending', minutesAgo: 45, stuck: true }), operationFixture({ status: 'pending' })],
        () => summaryFixture({ total: 2, by_status: { pending: 2 }, stuck: 1 }),
      ),
    );
    const { user, router } = renderApp();

    const link = await within(await screen.findByRole('banner')).findByRole('link', { name: '1 stuck' });
    await user.click(link);
    expect(await screen.findByRole('heading', { level: 1, name: 'Operations' })).toBeInTheDocument();
    expect(new URLSearchParams(router.state.location.searchStr).get('stuck')).toBe('true');
  });

  it('shows no stuck count when nothing is stuck', async () => {
    renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    expect(within(screen.getByRole('banner')).queryByRole('link', { name: /stuck/ })).not.toBeInTheDocument();
  });

  it('switches presenter mode from any page, kept on this device (theme.test.ts: the larger type)', async () => {
    const { user } = renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    const presenter = within(screen.getByRole('contentinfo')).getByRole('switch', { name: /presenter mode/i });
    expect(presenter).not.toBeChecked();
    await user.click(presenter);
    expect(presenter).toBeChecked();
    expect(localStorage.getItem(PREFERENCES_STORAGE_KEY)).toContain('"presenter":true');
    await user.click(presenter);
    expect(localStorage.getItem(PREFERENCES_STORAGE_KEY)).toContain('"presenter":false');
  });

  it('folds the pages into a Menu that Escape, a click outside or a chosen page closes', async () => {
    const { user } = renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    const menu = within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Menu' });
    expect(menu).toHaveAttribute('aria-expanded', 'false');

    await user.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    await user.keyboard('{Escape}');
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveFocus();

    await user.click(menu);
    await user.click(screen.getByRole('heading', { level: 1, name: 'Overview' }));
    expect(menu).toHaveAttribute('aria-expanded', 'false');

    await user.click(menu);
    await user.click(screen.getByRole('link', { name: 'Broadcasts' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Broadcasts' })).toBeInTheDocument();
    expect(menu).toHaveAttribute('aria-expanded', 'false');
  });

  it('lets keyboard users skip straight to the content', async () => {
    const { user } = renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Overview' });

    await user.tab();
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    expect(skip).toHaveFocus();
    expect(skip).toHaveAttribute('href', '#main-content');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'main-content');
  });

  it('remembers the chosen theme on this device', async () => {
    const { user } = renderApp();
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    const themes = screen.getByRole('group', { name: 'Theme' });
    expect(screen.getByRole('radio', { name: 'Match device' })).toBeChecked();
    expect(themes).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Dark' }));

    expect(screen.getByRole('radio', { name: 'Dark' })).toBeChecked();
    expect(localStorage.getItem(PREFERENCES_STORAGE_KEY)).toContain('"theme":"dark"');
  });

  it('has a helpful page for an unknown address', async () => {
    renderApp({ route: '/no-such-page' });

    expect(await screen.findByRole('heading', { name: /no page at this address/i })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Overview' })).toHaveAttribute('href', '/');
  });
});
