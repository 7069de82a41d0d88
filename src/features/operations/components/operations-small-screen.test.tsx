import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { operationFixture, summaryFixture } from '../../../mocks/fixtures/operation-fixtures.ts';
import { operationHandlersFor } from '../../../mocks/handlers/operation-handlers.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

/*
 * The Operations page on a phone: the same list, read as cards, and the filters in one sheet.
 * jsdom has no matchMedia: it answers "(max-width: 767px)" with a match here, as a phone would.
 * jsdom also lays nothing out, so the virtualized list gets a viewport-sized box and each card a
 * card's height (layout, not behaviour): only the cards in view and a few more are rendered.
 */
const realClientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(async () => {
  await import('./operations-page.tsx');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
  Object.defineProperty(HTMLLIElement.prototype, 'offsetHeight', { configurable: true, get: () => 136 });
});
afterAll(() => {
  Reflect.deleteProperty(HTMLLIElement.prototype, 'offsetHeight');
  if (realClientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', realClientHeight);
});
beforeEach(() => {
  vi.stubGlobal('matchMedia', (query: string) => ({ matches: true, media: query, addEventListener() {}, removeEventListener() {} }));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

async function operationCards() {
  const list = await screen.findByRole('list', { name: /^operations:/i }, { timeout: 5000 });
  await waitFor(() => expect(within(list).getAllByRole('listitem').length).toBeGreaterThan(0));
  return within(list)
    .getAllByRole('listitem')
    .filter((card) => card.hasAttribute('data-row-id'));
}

/** A card's field, read by its label as a person reads it. */
function field(card: HTMLElement, label: string) {
  return within(card).getByText(label, { selector: 'dt' }).nextElementSibling;
}

const selectionStatus = () => screen.getAllByRole('status').find((status) => (status.textContent ?? '').endsWith('selected.'));

describe('Operations on a small screen', { timeout: 15_000 }, () => {
  it('shows each operation as a card: who and what, status in words, last error, connection and when', async () => {
    const failed = operationFixture({ minutesAgo: 3, status: 'failed', last_error_type: 'network' });
    server.use(...operationHandlersFor(() => [failed]));
    renderApp({ route: '/operations' });
    const [card] = await operationCards();

    expect(screen.queryByRole('table', { name: /^operations:/i })).not.toBeInTheDocument();
    expect(within(card!).getByRole('link', { name: /^Message to / })).toBeInTheDocument();
    expect(field(card!, 'Status')).toHaveTextContent('Failed');
    expect(field(card!, 'Last error')).toHaveTextContent('Network');
    expect(field(card!, 'Connection')).toHaveTextContent(/ · /);
    expect(field(card!, 'Created')).toHaveTextContent('3 min ago');
  });

  it('selects cards with the keyboard, then all loaded, then all matching the filter', async () => {
    const many = Array.from({ length: 150 }, (_, index) =>
      operationFixture({ minutesAgo: index * 5 + 1, status: 'failed', last_error_type: 'network' }),
    );
    server.use(
      ...operationHandlersFor(
        () => many,
        () => summaryFixture({ total: 150, by_status: { failed: 150 }, by_error_type: { network: 150 } }),
      ),
    );
    const { user } = renderApp({ route: '/operations?status=failed' });
    const cards = await operationCards();

    const first = within(cards[0]!).getByRole('checkbox', { name: /^Select operation [0-9a-f]{8}$/ });
    first.focus();
    await user.keyboard(' ');
    expect(first).toBeChecked();
    expect(selectionStatus()).toHaveTextContent('1 operation selected.');

    // Select all and the sorts stay reachable above the cards, in words.
    const all = screen.getByRole('checkbox', { name: 'Select all loaded operations' });
    expect(all.closest('label')).toHaveTextContent('Select all loaded');
    all.focus();
    await user.keyboard(' ');
    expect(selectionStatus()).toHaveTextContent('All 100 loaded operations are selected.');
    await user.click(await screen.findByRole('button', { name: 'Select all 150 matching this filter' }));
    expect(selectionStatus()).toHaveTextContent('All 150 operations matching this filter are selected.');
    expect(screen.getByRole('button', { name: 'Created' })).toBeInTheDocument();
  });

  it('opens the drawer from a tap on the card, and gives focus back to the card on close', async () => {
    const { user, router } = renderApp({ route: '/operations' });
    const [card] = await operationCards();
    const id = card!.getAttribute('data-row-id');

    await user.click(field(card!, 'Connection')!);
    const drawer = await screen.findByRole('dialog', { name: /^Operation/ });
    expect(router.state.location.search).toMatchObject({ op: id });
    await user.click(within(drawer).getByRole('button', { name: 'Close operation details' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(within(card!).getByRole('link', { name: /^Message to / })).toHaveFocus());
  });

  it('folds the filters into one sheet whose choices go to the URL, and counts them on its button', async () => {
    const { user, router } = renderApp({ route: '/operations' });
    await operationCards();
    expect(screen.queryByRole('button', { name: /^Status:/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Filters' }));
    const sheet = await screen.findByRole('dialog', { name: 'Filters' });
    await user.click(within(sheet).getByRole('button', { name: 'Status: any' }));
    await user.click(within(sheet).getByRole('checkbox', { name: /Failed/ }));
    await user.click(within(sheet).getByRole('button', { name: 'Show operations' }));

    expect(screen.queryByRole('dialog', { name: 'Filters' })).not.toBeInTheDocument();
    expect(new URL(router.state.location.href, 'http://localhost').searchParams.getAll('status')).toEqual(['failed']);
    expect(screen.getByRole('button', { name: 'Filters (1)' })).toHaveFocus();
  });
});
