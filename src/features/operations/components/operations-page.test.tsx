import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Operation } from '../../../../contracts/operation-schemas.ts';
import { createResendBatchRequestSchema } from '../../../../contracts/resend-batch-schemas.ts';
import { apiErrorResponse } from '../../../mocks/api-error-response.ts';
import { connectionFixtures } from '../../../mocks/fixtures/connection-fixtures.ts';
import { nothingToResendPreviewFixture, runningBatchFixture } from '../../../mocks/fixtures/resend-batch-fixtures.ts';
import { viewerSession } from '../../../mocks/fixtures/session-fixtures.ts';
import { operationFixture, operationFixtures, operationSummaryFixture, summaryFixture } from '../../../mocks/fixtures/operation-fixtures.ts';
import { userFixtures } from '../../../mocks/fixtures/user-fixtures.ts';
import { operationHandlersFor } from '../../../mocks/handlers/operation-handlers.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

/*
 * jsdom lays nothing out: every element measures 0 × 0, so a virtualized list would render no
 * rows. Give elements a viewport-sized box for these tests (layout, not behaviour).
 */
const realClientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
const realClientWidth = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
beforeAll(async () => {
  // The route loads its page lazily; load it once here so no test spends its wait on the first import.
  await import('./operations-page.tsx');
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 720 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1280 });
});
afterAll(() => {
  if (realClientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', realClientHeight);
  if (realClientWidth) Object.defineProperty(HTMLElement.prototype, 'clientWidth', realClientWidth);
});

const northwind = connectionFixtures.find((connection) => connection.name === 'Northwind Freight')!;
const failedOperations = operationFixtures.filter((operation) => operation.status === 'failed');
const failedOfNorthwind = failedOperations.filter((operation) => operation.connection_id === northwind.id);

/** The server's answer for failed operations of Northwind, when the page asks for them; every fixture otherwise. */
function answerFailedOfNorthwind() {
  server.use(
    ...operationHandlersFor((params) =>
      params.getAll('status').join() === 'failed' && params.getAll('connection_id').join() === northwind.id ? failedOfNorthwind : operationFixtures,
    ),
  );
}

/** Every request MSW receives for `pathname`, in order. */
function requestsTo(pathname: string): URL[] {
  const urls: URL[] = [];
  const listener = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    if (url.pathname === pathname) urls.push(url);
  };
  server.events.on('request:start', listener);
  onTestFinished(() => {
    server.events.removeListener('request:start', listener);
  });
  return urls;
}

function operationsTable() {
  return screen.findByRole('table', { name: /^operations:/i });
}

/** Data rows (the header row left out) of `table`, or of the table on screen now. */
function dataRows(table: HTMLElement = screen.getByRole('table', { name: /^operations:/i })) {
  return within(table)
    .getAllByRole('row')
    .filter((row) => row.hasAttribute('data-row-id'));
}

/** The address bar's query, as a person would read it. */
function addressParams(router: { state: { location: { href: string } } }): URLSearchParams {
  return new URL(router.state.location.href, 'http://localhost').searchParams;
}

/** "The next poll": what the live timer does, without waiting for it. */
async function nextPoll(queryClient: { refetchQueries: (filters: { queryKey: readonly unknown[] }) => Promise<void> }) {
  await act(() => queryClient.refetchQueries({ queryKey: ['operations'] }));
}

/** What a hostile message or TSP answer could carry: it must show as text and never run. */
const MARKUP = '<script>window.__pwned = true</script> and <img src=x onerror="window.__pwned = true">';

describe('Operations page', () => {
  it('shows markup in a message as the text it is', async () => {
    const hostile = operationFixture({ minutesAgo: 0.5, payload: { ...operationFixture().payload, message_text: MARKUP } });
    server.use(http.get('/api/operations', () => HttpResponse.json({ items: [hostile], next_cursor: null })));
    renderApp({ route: '/operations' });
    const table = await operationsTable();
    await waitFor(() => expect(dataRows(table)[0]).toHaveTextContent(MARKUP.slice(0, 40)));
    expect(table.querySelector('img, script')).toBeNull();
    expect(Reflect.get(window, '__pwned')).toBeUndefined();
  });

  it('lists operations newest first: status in words, connection with TSP, recipient and text', async () => {
    renderApp({ route: '/operations' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Operations' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Operations' })).toHaveAttribute('aria-current', 'page');
    const table = await operationsTable();
    const first = dataRows(table)[0]!;
    expect(first).toHaveTextContent('Caleb Jennings');
    expect(first).toHaveTextContent('Pending');
    expect(first).toHaveTextContent('Blue Ridge Logistics · Motive');
    expect(within(first).getByRole('link', { name: 'Message to Caleb Jennings: Your load at dock 4 is ready for pickup' })).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: /created/i })).toHaveAttribute('aria-sort', 'descending');

    const failed = dataRows(table).find((row) => row.textContent?.includes('Failed'));
    expect(failed).toHaveTextContent(/Auth|Validation|Network|TSP/);
  });

  it("reads a driver's reply as from the driver, not as a message to its recipient", async () => {
    const [dispatcher, driver] = userFixtures;
    const reply = operationFixture({
      minutesAgo: 0.5,
      payload: { sender_id: driver!.id, recipient_id: dispatcher!.id, message_text: 'Running 20 min late at dock 4', priority: null },
    });
    server.use(http.get('/api/operations', () => HttpResponse.json({ items: [reply], next_cursor: null })));
    renderApp({ route: '/operations' });
    const table = await operationsTable();

    const link = await within(table).findByRole('link', {
      name: 'Reply from Darnell Brooks (driver) to Marisol Vega: Running 20 min late at dock 4',
    });
    expect(link).toHaveTextContent('From Darnell Brooks (driver) · Running 20 min late at dock 4');
  });

  it('keeps every filter in the URL and in the request', async () => {
    answerFailedOfNorthwind();
    const lists = requestsTo('/api/operations');
    const summaries = requestsTo('/api/operations/summary');
    const { user, router } = renderApp({ route: '/operations' });
    await operationsTable();

    await user.click(screen.getByRole('button', { name: 'Status: any' }));
    await user.click(screen.getByRole('checkbox', { name: 'Failed' }));
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Connection: any' }));
    await user.click(screen.getByRole('checkbox', { name: /Northwind Freight/ }));
    await user.keyboard('{Escape}');

    await waitFor(() => expect(addressParams(router).getAll('connection')).toEqual([northwind.id]));
    expect(addressParams(router).getAll('status')).toEqual(['failed']);
    // Defaults (range, sort, order) stay out of the address.
    expect([...addressParams(router).keys()].sort()).toEqual(['connection', 'status']);

    await waitFor(() => {
      const last = lists.at(-1)!;
      expect(last.searchParams.getAll('status')).toEqual(['failed']);
      expect(last.searchParams.getAll('connection_id')).toEqual([northwind.id]);
      expect(last.searchParams.get('from')).not.toBeNull();
    });
    expect(summaries.at(-1)!.searchParams.getAll('status')).toEqual(['failed']);
    await waitFor(() => {
      const rows = dataRows();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row).toHaveTextContent('Failed');
        expect(row).toHaveTextContent('Northwind Freight');
      }
    });
  });

  it('restores the view from the address on reload, and on back and forward', async () => {
    answerFailedOfNorthwind();
    const lists = requestsTo('/api/operations');
    const { user, router } = renderApp({ route: `/operations?status=failed&connection=${northwind.id}` });

    // "Reload": the address alone gives the filters, the request and the controls.
    await waitFor(() => {
      expect(lists.at(-1)?.searchParams.getAll('status')).toEqual(['failed']);
      expect(lists.at(-1)?.searchParams.getAll('connection_id')).toEqual([northwind.id]);
    });
    expect(screen.getByRole('button', { name: 'Status: Failed' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Connection: Northwind Freight' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Status: Failed' }));
    await user.click(screen.getByRole('checkbox', { name: 'Failed' }));
    await waitFor(() => expect(addressParams(router).toString()).toBe(`connection=${northwind.id}`));
    await waitFor(() => expect(lists.at(-1)?.searchParams.getAll('status')).toEqual([]));

    act(() => router.history.back());
    await waitFor(() => expect(addressParams(router).getAll('status')).toEqual(['failed']));
    expect(screen.getByRole('button', { name: 'Status: Failed' })).toBeInTheDocument();
    await waitFor(() => {
      for (const row of dataRows()) expect(row).toHaveTextContent('Failed');
    });

    act(() => router.history.forward());
    await waitFor(() => expect(addressParams(router).getAll('status')).toEqual([]));
    expect(screen.getByRole('button', { name: 'Status: any' })).toBeInTheDocument();
  });

  it('searches ids and message words through the URL', async () => {
    const reefer = operationFixtures.filter((operation) => /reefer temp/i.test(String(operation.payload.message_text)));
    server.use(...operationHandlersFor((params) => (params.get('q') === 'reefer temp' ? reefer : operationFixtures)));
    const lists = requestsTo('/api/operations');
    const { user, router } = renderApp({ route: '/operations' });
    await operationsTable();

    await user.type(screen.getByRole('searchbox', { name: 'Search operations' }), 'reefer temp');

    await waitFor(() => expect(addressParams(router).get('q')).toBe('reefer temp'), { timeout: 3000 });
    await waitFor(() => expect(lists.at(-1)!.searchParams.get('q')).toBe('reefer temp'));
    await waitFor(() => expect(dataRows()).toHaveLength(reefer.length), { timeout: 3000 });
    for (const row of dataRows()) expect(row).toHaveTextContent(/reefer temperature/i);
  });

  it('sorts by created or updated time, newest first', async () => {
    const lists = requestsTo('/api/operations');
    const { user, router } = renderApp({ route: '/operations' });
    const table = await operationsTable();

    await user.click(within(table).getByRole('button', { name: /updated/i }));

    await waitFor(() => expect(addressParams(router).get('sort')).toBe('updated_at'));
    await waitFor(() => {
      expect(lists.at(-1)!.searchParams.get('sort')).toBe('updated_at');
      expect(lists.at(-1)!.searchParams.get('order')).toBe('desc');
    });
    const sorted = await operationsTable();
    await waitFor(() => expect(within(sorted).getByRole('columnheader', { name: /updated/i })).toHaveAttribute('aria-sort', 'descending'));
    expect(within(sorted).getByRole('columnheader', { name: /created/i })).not.toHaveAttribute('aria-sort');
  });

  it('filters by a count: press "Failed" and only failed operations remain', async () => {
    const { by_error_type } = operationSummaryFixture;
    const failedOnly = summaryFixture({ total: failedOperations.length, by_status: { failed: failedOperations.length }, by_error_type });
    server.use(
      ...operationHandlersFor(
        (params) => (params.getAll('status').join() === 'failed' ? failedOperations : operationFixtures),
        (params) => (params.getAll('status').join() === 'failed' ? failedOnly : operationSummaryFixture),
      ),
    );
    const summaries = requestsTo('/api/operations/summary');
    const { user, router } = renderApp({ route: '/operations' });
    const counts = await screen.findByRole('group', { name: 'By status' });
    const failed = failedOperations.length;

    const button = within(counts).getByRole('button', { name: `Failed: ${failed}` });
    expect(button).toHaveAttribute('aria-pressed', 'false');
    await user.click(button);

    await waitFor(() => expect(addressParams(router).getAll('status')).toEqual(['failed']));
    await waitFor(() => expect(summaries.at(-1)!.searchParams.getAll('status')).toEqual(['failed']));
    expect(await within(counts).findByRole('button', { name: `Failed: ${failed}` })).toHaveAttribute('aria-pressed', 'true');
    expect(within(counts).getByRole('button', { name: 'Succeeded: 0' })).toBeInTheDocument();

    const errors = screen.getByRole('group', { name: 'Failed, by last error' });
    await user.click(within(errors).getByRole('button', { name: /^Auth:/ }));
    await waitFor(() => expect(addressParams(router).getAll('error')).toEqual(['auth']));
    expect(addressParams(router).getAll('status')).toEqual(['failed']);
  });

  it('counts failures by their final error, and apart those that succeeded after retries, which show no red error', async () => {
    const recoveredOne = {
      ...(operationFixtures.find((op) => op.status === 'success') ?? operationFixtures[0]!),
      last_error_type: 'network' as const,
      attempt_count: 2,
    };
    const failedNetwork = operationFixtures.filter((op) => op.status === 'failed' && op.last_error_type === 'network').length;
    server.use(
      ...operationHandlersFor(
        () => operationFixtures.map((op) => (op.id === recoveredOne.id ? recoveredOne : op)),
        () => ({ ...operationSummaryFixture, recovered_by_error_type: { ...operationSummaryFixture.recovered_by_error_type, network: 1 } }),
      ),
    );
    const { user, router } = renderApp({ route: '/operations' });

    const errors = await screen.findByRole('group', { name: 'Failed, by last error' });
    expect(await within(errors).findByRole('button', { name: `Network: ${failedNetwork}` })).toBeInTheDocument();
    const recovered = screen.getByRole('group', { name: 'Recovered' });
    const button = await within(recovered).findByRole('button', { name: /^Succeeded after retries: [1-9]/ });
    await user.click(button);
    await waitFor(() => expect(addressParams(router).getAll('status')).toEqual(['success']));
    expect(addressParams(router).getAll('error').sort()).toEqual(['auth', 'network', 'tsp', 'validation']);
    const table = await screen.findByRole('table', { name: /^operations:/i });
    const row = (await within(table).findByText('recovered')).closest('tr');
    expect(row?.textContent).toContain('Network, recovered');
  });

  it('marks stuck work in the table, counts it, and the count or "Stuck only" filters to it', async () => {
    const stuck = operationFixture({ status: 'pending', minutesAgo: 45, stuck: true, payload: { message_text: 'Still on its way' } });
    const recent = operationFixture({ status: 'pending', minutesAgo: 1, payload: { message_text: 'Just sent' } });
    server.use(
      ...operationHandlersFor(
        (params) => (params.get('stuck') === 'true' ? [stuck] : [stuck, recent]),
        () => summaryFixture({ total: 2, by_status: { pending: 2 }, stuck: 1 }),
      ),
    );
    const { user, router } = renderApp({ route: '/operations' });

    const table = await operationsTable();
    await waitFor(() => expect(dataRows(table)).toHaveLength(2));
    const stuckRow = dataRows(table).find((row) => row.textContent?.includes('Still on its way'));
    const recentRow = dataRows(table).find((row) => row.textContent?.includes('Just sent'));
    expect(stuckRow).toHaveTextContent('Stuck');
    expect(recentRow).not.toHaveTextContent('Stuck');

    const count = await within(screen.getByRole('group', { name: 'Needs a look' })).findByRole('button', { name: 'Stuck: 1' });
    await user.click(count);
    await waitFor(() => expect(addressParams(router).get('stuck')).toBe('true'));
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    expect(screen.getByRole('button', { name: /stuck only/i })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: /stuck only/i }));
    await waitFor(() => expect(addressParams(router).get('stuck')).toBeNull());
    await waitFor(() => expect(dataRows()).toHaveLength(2));
  });

  it('says when there are no operations yet', async () => {
    server.use(
      ...operationHandlersFor(
        () => [],
        () => summaryFixture({ total: 0 }),
      ),
    );
    renderApp({ route: '/operations' });

    expect(await screen.findByRole('heading', { name: 'No operations yet' })).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: /^operations:/i })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).not.toBeInTheDocument();
  });

  it('says when nothing matches, and "Clear filters" brings the whole list back', async () => {
    const lists = requestsTo('/api/operations');
    server.use(...operationHandlersFor((params) => (params.has('q') ? [] : operationFixtures)));
    const { user, router } = renderApp({ route: '/operations?q=no-such-thing&status=failed' });

    expect(await screen.findByRole('heading', { name: 'No operations match these filters' })).toBeInTheDocument();
    expect(lists.at(-1)!.searchParams.get('q')).toBe('no-such-thing');
    expect(lists.at(-1)!.searchParams.getAll('status')).toEqual(['failed']);
    const clear = screen.getAllByRole('button', { name: 'Clear filters' });
    await user.click(clear.at(-1)!);

    await waitFor(() => expect(addressParams(router).toString()).toBe(''));
    expect(await operationsTable()).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search operations' })).toHaveValue('');
  });

  it('says why the list could not load, and "Try again" loads it', async () => {
    server.use(
      http.get('/api/operations', () => HttpResponse.json({ error: { code: 'internal', message: 'The database is locked.' } }, { status: 500 }), {
        once: true,
      }),
    );
    const { user } = renderApp({ route: '/operations' });

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Could not load operations' })).toBeInTheDocument();
    expect(alert).toHaveTextContent('The database is locked.');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await operationsTable()).toBeInTheDocument();
  });

  it('keeps the rows with a "stale since" badge when a refresh fails', async () => {
    const { queryClient } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    expect(
      await screen.findByText((_, element) => element?.tagName === 'SPAN' && /^Updated (just now|\d+ s ago)$/.test(element.textContent ?? '')),
    ).toBeInTheDocument();

    server.use(
      http.get('/api/operations', () => HttpResponse.json({ error: { code: 'internal', message: 'The database is locked.' } }, { status: 500 })),
    );
    await nextPoll(queryClient);

    const stale = await screen.findByText(/stale since \d\d:\d\d:\d\d/i);
    expect(stale.closest('[role="status"]')).toHaveTextContent(/refreshing failed: the database is locked/i);
    expect(table).toBeInTheDocument();
    expect(dataRows(table).length).toBeGreaterThan(0);
    expect(screen.queryByRole('heading', { name: 'Could not load operations' })).not.toBeInTheDocument();
  });

  it('shows a new operation at once at the top, but holds it behind "N new" for a reader who scrolled', async () => {
    let operations: Operation[] = [operationFixture({ minutesAgo: 5, id: 'a0000000-0000-4000-8000-000000000001' })];
    server.use(...operationHandlersFor(() => operations));
    const { queryClient, user } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    expect(dataRows(table)).toHaveLength(1);

    // At the top, nobody reading: it just appears.
    operations = [operationFixture({ minutesAgo: 1, id: 'a0000000-0000-4000-8000-000000000002' }), ...operations];
    await nextPoll(queryClient);
    await waitFor(() => expect(dataRows(table)).toHaveLength(2));
    expect(screen.queryByRole('button', { name: /new operation/ })).not.toBeInTheDocument();

    // Scrolled down: the next one waits behind the button, and the rows stay where they are.
    const scrollArea = table.parentElement!;
    act(() => {
      scrollArea.scrollTop = 300;
      scrollArea.dispatchEvent(new Event('scroll'));
    });
    operations = [operationFixture({ minutesAgo: 0.5, id: 'a0000000-0000-4000-8000-000000000003', status: 'pending' }), ...operations];
    await nextPoll(queryClient);
    const button = await screen.findByRole('button', { name: '1 new operation' });
    expect(dataRows(table)).toHaveLength(2);
    expect(table.querySelector('[data-row-id="a0000000-0000-4000-8000-000000000003"]')).toBeNull();

    // Rows already on screen still update in place.
    const failedAfterRetries = (operation: Operation): Operation => ({
      ...operation,
      status: 'failed',
      last_error_type: 'network',
    });
    operations = operations.map((operation) => (operation.id.endsWith('2') ? failedAfterRetries(operation) : operation));
    await nextPoll(queryClient);
    await waitFor(() => expect(table.querySelector('[data-row-id="a0000000-0000-4000-8000-000000000002"]')).toHaveTextContent('Failed'));

    await user.click(button);
    await waitFor(() => expect(dataRows(table)).toHaveLength(3));
    expect(scrollArea.scrollTop).toBe(0);
    expect(screen.queryByRole('button', { name: /new operation/ })).not.toBeInTheDocument();
  });

  it('moves with j and k, opens with Enter, and gives focus back to the row on close', async () => {
    const { user, router } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    const rows = dataRows(table);
    const link = (row: HTMLElement) => within(row).getAllByRole('link')[0]!;

    await user.keyboard('j');
    await waitFor(() => expect(link(rows[0]!)).toHaveFocus());
    await user.keyboard('jj');
    await waitFor(() => expect(link(rows[2]!)).toHaveFocus());
    await user.keyboard('k');
    await waitFor(() => expect(link(rows[1]!)).toHaveFocus());

    await user.keyboard('{Enter}');
    const id = rows[1]!.getAttribute('data-row-id');
    await waitFor(() => expect(addressParams(router).get('op')).toBe(id));

    await user.keyboard('{Escape}');
    await waitFor(() => expect(addressParams(router).has('op')).toBe(false));
    await waitFor(() => expect(link(table.querySelector<HTMLElement>(`[data-row-id="${id}"]`)!)).toHaveFocus());
  });

  it('with the log open, j and k show the next and previous operation in it', async () => {
    const { user, router } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    const ids = dataRows(table).map((row) => row.getAttribute('data-row-id'));

    await user.keyboard('j{Enter}');
    await waitFor(() => expect(addressParams(router).get('op')).toBe(ids[0]));
    // The drawer shows the operation the address names (its own tests cover what it shows).
    const drawer = await screen.findByRole('dialog', { name: /^Operation/ });

    await user.keyboard('j');
    await waitFor(() => expect(addressParams(router).get('op')).toBe(ids[1]));
    // The same drawer, and the keyboard is still in it.
    expect(drawer).toBeInTheDocument();
    expect(drawer).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('jk');
    await waitFor(() => expect(addressParams(router).get('op')).toBe(ids[1]));

    await user.keyboard('k');
    await waitFor(() => expect(addressParams(router).get('op')).toBe(ids[0]));

    // Closing it gives focus to the row it showed last.
    await user.keyboard('j{Escape}');
    await waitFor(() => expect(addressParams(router).has('op')).toBe(false));
    const last = table.querySelector<HTMLElement>(`[data-row-id="${ids[1]}"]`)!;
    await waitFor(() => expect(within(last).getAllByRole('link')[0]).toHaveFocus());
  });

  it('leaves the search box on Escape, keeps and runs the search, and gives the shortcuts back', async () => {
    const { user, router } = renderApp({ route: '/operations' });
    await operationsTable();
    const search = screen.getByRole('searchbox', { name: 'Search operations' });

    await user.keyboard('/');
    await user.keyboard('pickup');
    await user.keyboard('{Escape}');
    expect(search).not.toHaveFocus();
    expect(search).toHaveValue('pickup');
    // Run at once, without waiting for the pause after typing.
    expect(addressParams(router).get('q')).toBe('pickup');

    // The table now lists what matches; j moves into it.
    await waitFor(() => expect(dataRows().length).toBeGreaterThan(0));
    await user.keyboard('j');
    await waitFor(() => expect(within(dataRows()[0]!).getAllByRole('link')[0]).toHaveFocus());
    expect(search).toHaveValue('pickup');
  });

  it('focuses the search with "/", lists shortcuts with "?", and ignores shortcuts while typing', async () => {
    const { user } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    const search = screen.getByRole('searchbox', { name: 'Search operations' });

    await user.keyboard('/');
    expect(search).toHaveFocus();
    await user.keyboard('jk?');
    expect(search).toHaveValue('jk?');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).not.toBeInTheDocument();
    expect(within(table).queryByRole('link', { name: /message/i, current: true })).toBeNull();

    await user.clear(search);
    await user.click(screen.getByRole('heading', { level: 1, name: 'Operations' }));
    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog).toHaveTextContent('Next operation');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).not.toBeInTheDocument();
  });

  it('copies a link that freezes the time range and keeps the open operation', async () => {
    const id = operationFixtures[3]!.id;
    const { user } = renderApp({ route: `/operations?status=failed&op=${id}` });
    await screen.findByRole('table', { name: /^operations:/i });

    await user.click(screen.getByRole('button', { name: 'Copy link' }));

    const link = new URL(await navigator.clipboard.readText());
    expect(link.pathname).toBe('/operations');
    expect(link.searchParams.get('range')).toBe('custom');
    const from = Date.parse(link.searchParams.get('from')!);
    const to = Date.parse(link.searchParams.get('to')!);
    expect(to - from).toBe(24 * 3_600_000);
    expect(Math.abs(Date.now() - to)).toBeLessThan(60_000);
    expect(link.searchParams.getAll('status')).toEqual(['failed']);
    expect(link.searchParams.get('op')).toBe(id);
    expect(await screen.findByRole('button', { name: 'Link copied' })).toBeInTheDocument();
  });
});

// These drive many clicks over a virtualized table of 100 rows: slow on a busy machine, not hung.
describe('Operations page: bulk resend', { timeout: 15_000 }, () => {
  const checkbox = (row: HTMLElement) => within(row).getByRole('checkbox', { name: /^Select operation [0-9a-f]{8}$/ });
  const selectionStatus = () => screen.getAllByRole('status').find((status) => (status.textContent ?? '').endsWith('selected.'));

  it('selects rows one by one and a range with shift, by mouse and by keyboard, and clears them', async () => {
    const { user } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    const rows = dataRows(table);
    const id = rows[0]!.getAttribute('data-row-id')!;
    expect(within(rows[0]!).getByRole('checkbox', { name: `Select operation ${id.slice(0, 8)}` })).not.toBeChecked();

    await user.click(checkbox(rows[0]!));
    expect(selectionStatus()).toHaveTextContent('1 operation selected.');

    // Shift-click: everything from the row last ticked to this one.
    await user.keyboard('{Shift>}');
    await user.click(checkbox(rows[3]!));
    await user.keyboard('{/Shift}');
    for (const row of rows.slice(0, 4)) expect(checkbox(row)).toBeChecked();
    expect(checkbox(rows[4]!)).not.toBeChecked();
    expect(selectionStatus()).toHaveTextContent('4 operations selected.');

    // The keyboard: Space ticks, Shift+Space ticks the range.
    checkbox(rows[6]!).focus();
    await user.keyboard(' ');
    checkbox(rows[8]!).focus();
    await user.keyboard('{Shift>} {/Shift}');
    for (const row of rows.slice(6, 9)) expect(checkbox(row)).toBeChecked();
    expect(selectionStatus()).toHaveTextContent('7 operations selected.');

    await user.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('button', { name: 'Clear selection' })).not.toBeInTheDocument();
    for (const row of rows.slice(0, 9)) expect(checkbox(row)).not.toBeChecked();
    expect(within(table).getByRole('checkbox', { name: 'Select all loaded operations' })).toHaveFocus();
  });

  it('keeps the previous rows on screen, dimmed, until a new filter’s rows come, and starts the selection afresh', async () => {
    let answerFailed = () => {};
    const failedAnswered = new Promise<void>((resolve) => {
      answerFailed = resolve;
    });
    server.use(...operationHandlersFor((params) => (params.getAll('status').join() === 'failed' ? failedOperations : operationFixtures)));
    // A slow answer for the new filter: held until the test lets it go, then the handler above answers.
    server.use(
      http.get('/api/operations', async ({ request }) => {
        if (new URL(request.url).searchParams.getAll('status').join() === 'failed') await failedAnswered;
        return undefined;
      }),
    );
    const { user } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    await waitFor(() => expect(dataRows(table).length).toBeGreaterThan(0));
    expect(dataRows(table).some((row) => within(row).queryByText('Failed') === null)).toBe(true);
    const before = dataRows(table).map((row) => row.getAttribute('data-row-id'));
    await user.click(checkbox(dataRows(table)[0]!));
    expect(selectionStatus()).toHaveTextContent('1 operation selected.');

    const counts = screen.getByRole('group', { name: 'By status' });
    await user.click(within(counts).getByRole('button', { name: /^Failed:/ }));

    // Still the same table, the same rows, marked busy; no skeleton, and nothing selected any more.
    await waitFor(() => expect(screen.getByRole('table', { name: /^operations:/i })).toHaveAttribute('aria-busy', 'true'));
    expect(screen.getByRole('table', { name: /^operations:/i })).toBe(table);
    expect(dataRows(table).map((row) => row.getAttribute('data-row-id'))).toEqual(before);
    expect(selectionStatus()).toBeUndefined();

    answerFailed();
    await waitFor(() => expect(table).not.toHaveAttribute('aria-busy'));
    expect(screen.getByRole('table', { name: /^operations:/i })).toBe(table);
    expect(dataRows(table).length).toBeGreaterThan(0);
    expect(dataRows(table).every((row) => within(row).queryByText('Failed') !== null)).toBe(true);
  });

  it('ticks the row that j and k moved to with "x"', async () => {
    const { user } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    const rows = dataRows(table);
    await user.keyboard('jj');
    await waitFor(() => expect(within(rows[1]!).getAllByRole('link')[0]).toHaveFocus());
    await user.keyboard('x');
    expect(checkbox(rows[1]!)).toBeChecked();
    expect(selectionStatus()).toHaveTextContent('1 operation selected.');
    await user.keyboard('x');
    expect(checkbox(rows[1]!)).not.toBeChecked();
  });

  it('selects the loaded rows with the header box, then all matching the filter, sent as the filter', async () => {
    // 150 matching, 100 loaded: the header box takes the loaded ones, the bar offers the rest.
    const many = Array.from({ length: 150 }, (_, index) =>
      operationFixture({ minutesAgo: index * 5 + 1, status: 'failed', last_error_type: 'network' }),
    );
    server.use(
      ...operationHandlersFor(
        () => many,
        () => summaryFixture({ total: 150, by_status: { failed: 150 }, by_error_type: { network: 150 } }),
      ),
      // What the server would count for the whole filter; ids instead of the filter would be refused.
      http.post('/api/resend-batches', async ({ request }) => {
        const body = createResendBatchRequestSchema.parse(await request.json());
        return body.filter?.status?.includes('failed') && body.filter.from && body.filter.to
          ? HttpResponse.json({ selected: 150, will_resend: 140, skipped: { already_resent: 10 } })
          : apiErrorResponse(400, 'invalid_input', 'Expected the filter, with its window frozen.');
      }),
    );
    const { user } = renderApp({ route: '/operations?status=failed' });
    const table = await operationsTable();
    await waitFor(() => expect(dataRows(table).length).toBeGreaterThan(0));

    const all = within(table).getByRole('checkbox', { name: 'Select all loaded operations' });
    await user.click(all);
    expect(all).toBeChecked();
    expect(selectionStatus()).toHaveTextContent('All 100 loaded operations are selected.');

    await user.click(await screen.findByRole('button', { name: 'Select all 150 matching this filter' }));
    expect(selectionStatus()).toHaveTextContent('All 150 operations matching this filter are selected.');

    await user.click(screen.getByRole('button', { name: 'Resend…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Resend 140 operations?' });
    expect(dialog).toHaveTextContent('Of 150 selected operations: 140 will be resent; 10 skipped: 10 already resent.');

    // Unticking one row goes back to rows by id: the loaded ones but that one.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(checkbox(dataRows(table)[0]!));
    expect(selectionStatus()).toHaveTextContent('99 operations selected.');
    expect(all).toBePartiallyChecked();
  });

  it('shows the server’s preview by reason, and confirming opens the batch’s page', async () => {
    const { user, router } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    await user.click(checkbox(dataRows(table)[3]!));
    const resend = screen.getByRole('button', { name: 'Resend…' });
    await user.click(resend);

    const dialog = await screen.findByRole('alertdialog', { name: 'Resend 6 operations?' });
    expect(dialog).toHaveTextContent(
      'Of 12 selected operations: 6 will be resent; 6 skipped: 3 already resent, 2 not failed, 1 an error resending cannot fix (validation).',
    );
    // The safe answer has focus; the page's j/k/x stand still under the dialog.
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('jx');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(dialog).toHaveTextContent('Of 12 selected operations');
    // Escape gives focus back to "Resend…".
    await user.keyboard('{Escape}');
    expect(resend).toHaveFocus();

    await user.click(resend);
    await user.click(await screen.findByRole('button', { name: 'Resend 6 operations' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Bulk resend of 6 operations' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/resend-batches/${runningBatchFixture.id}`);
  });

  it('offers no confirmation when nothing would be resent, and says why', async () => {
    server.use(http.post('/api/resend-batches', () => HttpResponse.json(nothingToResendPreviewFixture)));
    const { user } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    await user.click(checkbox(dataRows(table)[0]!));
    await user.click(screen.getByRole('button', { name: 'Resend…' }));

    const dialog = await screen.findByRole('alertdialog', { name: 'Resend 0 operations?' });
    expect(dialog).toHaveTextContent('Of 3 selected operations: 0 will be resent; 3 skipped: 2 already resent, 1 not failed.');
    expect(dialog).toHaveTextContent(/Nothing to resend/);
    expect(within(dialog).queryByRole('button', { name: /^Resend/ })).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
  });

  it('says why the preview could not be made, and tries again', async () => {
    server.use(
      http.post('/api/resend-batches', () =>
        apiErrorResponse(422, 'selection_too_large', 'A bulk resend covers at most 10,000 operations; narrow the filter.'),
      ),
    );
    const { user } = renderApp({ route: '/operations' });
    const table = await operationsTable();
    await user.click(checkbox(dataRows(table)[0]!));
    await user.click(screen.getByRole('button', { name: 'Resend…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Resend the selected operations?' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('at most 10,000 operations; narrow the filter.');
    expect(within(dialog).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows a viewer no checkboxes and no selection bar', async () => {
    server.use(http.get('/api/session', () => HttpResponse.json(viewerSession)));
    renderApp({ route: '/operations' });
    const table = await operationsTable();
    await waitFor(() => expect(dataRows(table).length).toBeGreaterThan(0));
    expect(within(table).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resend…' })).not.toBeInTheDocument();
  });
});
