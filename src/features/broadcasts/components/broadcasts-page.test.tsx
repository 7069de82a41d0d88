import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { Broadcast, BroadcastCounts, BroadcastDetail } from '../../../../contracts/broadcast-schemas.ts';
import {
  BEING_RESENT,
  BLUE_RIDGE_RESEND_BATCH_ID,
  broadcastDetailAt,
  broadcastResendBatch,
  seededBroadcasts,
} from '../../../mocks/fixtures/broadcast-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

// Live views are tested live: a poll every two seconds, through real providers.
vi.setConfig({ testTimeout: 20_000 });

async function broadcastsTable() {
  return screen.findByRole('table', { name: /^Broadcasts/ }, { timeout: 5000 });
}

function summary(id: string, counts: BroadcastCounts): Broadcast {
  const broadcast = Object.values(seededBroadcasts).find((candidate) => candidate.id === id);
  if (!broadcast) throw new Error(`no seeded broadcast ${id}`);
  const { recipients: _recipients, ...rest } = broadcastDetailAt(broadcast);
  return { ...rest, counts, recipient_count: counts.queued + counts.pending + counts.success + counts.failed };
}

describe('Broadcasts: the list', () => {
  it('shows when, who, which connection, the start of the text and the progress in words', async () => {
    renderApp({ route: '/broadcasts' });
    const table = await broadcastsTable();

    const weather = within(table).getByRole('row', { name: /Weather alert: high winds on I-55/ });
    // The fleet's dispatcher (the sender on Catena), and the console user who pressed Send.
    expect(within(weather).getByRole('cell', { name: 'Erin Kowalski sent by Dana Dispatcher' })).toBeInTheDocument();
    expect(weather).toHaveTextContent('Northwind Freight · Samsara');
    expect(weather).toHaveTextContent('52 min ago');
    expect(within(weather).getByRole('progressbar', { name: 'Delivery to 13 recipients' })).toHaveAttribute(
      'aria-valuetext',
      '13 of 13 finished: 13 succeeded, 0 failed, 0 pending, 0 queued',
    );
    expect(within(weather).getByRole('link', { name: /Weather alert/ })).toHaveAttribute(
      'href',
      `/broadcasts/${seededBroadcasts.northwindWeather.id}`,
    );

    const coastal = within(table).getByRole('row', { name: /Reminder: update your hours of service/ });
    expect(coastal).toHaveTextContent(/9\s*failed/);
    expect(within(coastal).getByRole('progressbar')).toHaveAttribute('aria-valuetext', '9 of 9 finished: 0 succeeded, 9 failed, 0 pending, 0 queued');
  });

  it('opens a broadcast from anywhere on its row, and its link still works from the keyboard', async () => {
    const { user, router } = renderApp({ route: '/broadcasts' });
    const table = await broadcastsTable();

    const weather = within(table).getByRole('row', { name: /Weather alert: high winds on I-55/ });
    await user.click(within(weather).getByText('Northwind Freight'));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/broadcasts/${seededBroadcasts.northwindWeather.id}`));

    await router.navigate({ to: '/broadcasts' });
    const again = within(await broadcastsTable()).getByRole('link', { name: /Weather alert/ });
    again.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe(`/broadcasts/${seededBroadcasts.northwindWeather.id}`));
  });

  it('on a phone, shows each broadcast as a card with when, who, where and the progress', async () => {
    // The browser's answer to "(max-width: 767px)"; jsdom has no matchMedia of its own.
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: true, media: query, addEventListener() {}, removeEventListener() {} }));
    try {
      renderApp({ route: '/broadcasts' });
      const list = await screen.findByRole('list', { name: /^Broadcasts/ }, { timeout: 5000 });
      expect(screen.queryByRole('table', { name: /^Broadcasts/ })).not.toBeInTheDocument();
      const weather = within(list)
        .getAllByRole('listitem')
        .find((card) => card.textContent?.includes('Weather alert: high winds on I-55'));
      if (!weather) throw new Error('no card for the weather alert');
      expect(within(weather).getByRole('link', { name: /Weather alert/ })).toHaveAttribute(
        'href',
        `/broadcasts/${seededBroadcasts.northwindWeather.id}`,
      );
      // Each field under its column's name.
      expect(within(weather).getByText('From').nextElementSibling).toHaveTextContent('Erin Kowalski sent by Dana Dispatcher');
      expect(within(weather).getByText('Connection').nextElementSibling).toHaveTextContent('Northwind Freight · Samsara');
      expect(within(weather).getByText('When').nextElementSibling).toHaveTextContent('52 min ago');
      expect(within(weather).getByRole('progressbar')).toHaveAttribute(
        'aria-valuetext',
        '13 of 13 finished: 13 succeeded, 0 failed, 0 pending, 0 queued',
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps the progress live while recipients are queued or pending', async () => {
    const id = seededBroadcasts.northwindWeather.id;
    const pages = [summary(id, { queued: 1, pending: 2, success: 1, failed: 0 }), summary(id, { queued: 0, pending: 0, success: 3, failed: 1 })];
    let calls = 0;
    server.use(
      http.get('/api/broadcasts', () => {
        const item = pages[Math.min(calls, pages.length - 1)];
        calls += 1;
        return HttpResponse.json({ items: [item], next_cursor: null });
      }),
    );
    renderApp({ route: '/broadcasts' });
    const table = await broadcastsTable();
    const progress = within(table).getByRole('progressbar');
    expect(progress).toHaveAttribute('aria-valuetext', '1 of 4 finished: 1 succeeded, 0 failed, 2 pending, 1 queued');
    expect(screen.getByText('1 under way · updating live')).toBeInTheDocument();

    await waitFor(() => expect(progress).toHaveAttribute('aria-valuetext', '4 of 4 finished: 3 succeeded, 1 failed, 0 pending, 0 queued'), {
      timeout: 6000,
    });
    expect(screen.getByText('Every recipient has a final status.')).toBeInTheDocument();
  });

  it('says so when there is no broadcast yet, and leads to Compose', async () => {
    server.use(http.get('/api/broadcasts', () => HttpResponse.json({ items: [], next_cursor: null })));
    renderApp({ route: '/broadcasts' });

    expect(await screen.findByRole('heading', { name: 'No broadcasts yet' }, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Compose a message' })).toHaveAttribute('href', '/compose');
  });
});

describe('Broadcasts: one broadcast', () => {
  it('lists every recipient, filtered by status through the URL', async () => {
    const { prairieValidation } = seededBroadcasts;
    const { user, router } = renderApp({ route: `/broadcasts/${prairieValidation.id}?status=failed` });

    const table = await screen.findByRole('table', { name: /^Recipients \(failed\)/ }, { timeout: 5000 });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(2);
    const failed = within(table).getByRole('row', { name: /Priya Patel|Diego Ramirez|Marcus Bell/ });
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('Validation error');
    expect(
      within(failed)
        .getByRole('link', { name: /^Open log of the message to/ })
        .getAttribute('href'),
    ).toMatch(/^\/operations\?op=[0-9a-f-]{36}$/);
    expect(screen.getByRole('radio', { name: 'Failed 1' })).toBeChecked();

    await user.click(screen.getByRole('radio', { name: 'All 6' }));
    expect(within(await screen.findByRole('table', { name: /^Recipients:/ })).getAllByRole('row')).toHaveLength(7);
    expect(router.state.location.search).toEqual({});

    await user.click(screen.getByRole('radio', { name: 'Queued 0' }));
    expect(router.state.location.search).toEqual({ status: 'queued' });
    expect(screen.getByRole('heading', { name: 'No queued recipients' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show all recipients' }));
    expect(router.state.location.search).toEqual({});
  });

  it('confirms a resend to failed recipients truthfully, with the server’s count, and stays on the page with a link to the bulk resend', async () => {
    const { coastalAuth } = seededBroadcasts;
    const keys: string[] = [];
    let batchId: string | null = null;
    server.use(
      http.post(`/api/broadcasts/${coastalAuth.id}/resend-failed`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key') ?? '');
        const batch = broadcastResendBatch(coastalAuth, crypto.randomUUID(), Date.now());
        batchId = batch.id;
        return HttpResponse.json(batch, { status: 202 });
      }),
      // Once the bulk resend is made, the server links it and has nothing left to resend.
      http.get(`/api/broadcasts/${coastalAuth.id}`, () => {
        const detail = broadcastDetailAt(coastalAuth);
        if (!batchId) return HttpResponse.json(detail);
        return HttpResponse.json({ ...detail, resend_batch_ids: [batchId], resend_failed: { count: 0, reason: BEING_RESENT } });
      }),
    );
    const { user, router } = renderApp({ route: `/broadcasts/${coastalAuth.id}` });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Broadcast to all drivers of Coastal Carriers' }, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Delivery progress' })).toHaveAttribute(
      'aria-valuetext',
      '9 of 9 finished: 0 succeeded, 9 failed, 0 pending, 0 queued',
    );

    await user.click(screen.getByRole('button', { name: 'Resend to 9 failed recipients' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Resend to 9 failed recipients?' });
    expect(dialog).toHaveAccessibleDescription(/to the 9 recipients whose newest message failed/);
    expect(dialog).toHaveAccessibleDescription(
      /Nobody else gets anything: not the recipients whose message was delivered or is still on its way, nor those already resent\./,
    );
    expect(dialog).not.toHaveTextContent('Recipients who already have the message get nothing');
    expect(dialog).toHaveAccessibleDescription(
      /All of them failed with an auth error.*They will fail again unless the fleet has re-authorised the connection/,
    );
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Resend to 9 recipients' }));

    const notice = await screen.findByText(/^Resending to 9 recipients: their rows below follow the resend live\./);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/broadcasts/${coastalAuth.id}`);
    await waitFor(() => expect(notice.closest('[tabindex="-1"]')).toHaveFocus());
    const batchLink = within(notice).getByRole('link', { name: 'Open the bulk resend' });
    expect(batchLink.getAttribute('href')).toMatch(/^\/resend-batches\/[0-9a-f-]{36}$/);
    expect(keys).toHaveLength(1);
    // The page refreshed: the batch is linked for good, and nothing is left to resend.
    expect(await screen.findByRole('link', { name: 'Bulk resend of its failed recipients' })).toHaveAttribute('href', batchLink.getAttribute('href'));
    expect(screen.queryByRole('button', { name: /^Resend to/ })).not.toBeInTheDocument();
    expect(screen.getByText(/^Nothing to resend: The failed recipients are being resent/)).toBeInTheDocument();
  });

  it('warns that validation failures fail again, and shows the server’s refusal in the dialog', async () => {
    server.use(
      http.post('/api/broadcasts/:id/resend-failed', () =>
        HttpResponse.json(
          { error: { code: 'nothing_to_resend', message: 'No recipient of this broadcast has failed; there is nothing to resend.' } },
          { status: 409 },
        ),
      ),
    );
    const { user } = renderApp({ route: `/broadcasts/${seededBroadcasts.prairieValidation.id}` });
    await user.click(await screen.findByRole('button', { name: 'Resend to 1 failed recipient' }, { timeout: 5000 }));

    const dialog = screen.getByRole('alertdialog', { name: 'Resend to 1 failed recipient?' });
    expect(dialog).toHaveTextContent(/failed with a validation error.*will fail again unless the cause was fixed/);
    await user.click(within(dialog).getByRole('button', { name: 'Resend to 1 recipient' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Not resent: No recipient of this broadcast has failed');

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('shows each recipient’s newest state with its history, and says why there is nothing to resend', async () => {
    const { blueRidgeOutage } = seededBroadcasts;
    renderApp({ route: `/broadcasts/${blueRidgeOutage.id}` });
    const table = await screen.findByRole('table', { name: /^Recipients/ }, { timeout: 5000 });

    // Three recipients failed in the outage and were delivered by the bulk resend: counted as delivered.
    expect(screen.getByRole('progressbar', { name: 'Delivery progress' })).toHaveAttribute(
      'aria-valuetext',
      '10 of 10 finished: 10 succeeded, 0 failed, 0 pending, 0 queued',
    );
    const resent = within(table)
      .getAllByRole('row')
      .filter((row) => /→ resent →/.test(row.textContent ?? ''));
    expect(resent).toHaveLength(3);
    expect(resent[0]).toHaveTextContent(/Succeeded/);
    expect(resent[0]).toHaveTextContent(/Failed \d\d:\d\d(:\d\d)? → resent → Delivered \d\d:\d\d/);

    expect(screen.queryByRole('button', { name: /^Resend to/ })).not.toBeInTheDocument();
    expect(screen.getByText('Nothing to resend: Every recipient’s newest message was delivered or is on its way.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Bulk resend of its failed recipients' })).toHaveAttribute(
      'href',
      `/resend-batches/${BLUE_RIDGE_RESEND_BATCH_ID}`,
    );
  });

  it('links a broadcast resent before bulk resends to its resend and back', async () => {
    const { user } = renderApp({ route: `/broadcasts/${seededBroadcasts.blueRidgeOutage.id}` });
    const resentAs = await screen.findByRole('link', { name: 'Resent as a new broadcast' }, { timeout: 5000 });
    expect(resentAs).toHaveAttribute('href', `/broadcasts/${seededBroadcasts.blueRidgeResend.id}`);

    await user.click(resentAs);
    expect(await screen.findByRole('link', { name: 'Resend of an earlier broadcast' })).toHaveAttribute(
      'href',
      `/broadcasts/${seededBroadcasts.blueRidgeOutage.id}`,
    );
    expect(screen.getByRole('progressbar', { name: 'Delivery progress' })).toHaveAttribute(
      'aria-valuetext',
      '3 of 3 finished: 3 succeeded, 0 failed, 0 pending, 0 queued',
    );
    expect(screen.queryByRole('button', { name: /^Resend to/ })).not.toBeInTheDocument();
  });

  it('says a recipient in doubt is not confirmed yet, not that it failed', async () => {
    const detail = structuredClone(broadcastDetailAt(seededBroadcasts.northwindWeather));
    const [first] = detail.recipients;
    if (!first) throw new Error('the fixture has no recipient');
    Object.assign(first, { status: 'pending', in_doubt: true });
    detail.counts = { ...detail.counts, success: detail.counts.success - 1, pending: 1 };
    server.use(http.get(`/api/broadcasts/${detail.id}`, () => HttpResponse.json(detail)));
    renderApp({ route: `/broadcasts/${detail.id}` });

    const table = await screen.findByRole('table', { name: /^Recipients/ }, { timeout: 5000 });
    const row = within(table).getByRole('row', { name: new RegExp(first.name) });
    expect(row).toHaveTextContent('Not confirmed yet — checking with Catena');
    expect(row).not.toHaveTextContent('Failed');
  });

  it('names the fleet’s dispatcher who sends on Catena and the console user who pressed Send', async () => {
    renderApp({ route: `/broadcasts/${seededBroadcasts.northwindWeather.id}` });

    const line = await screen.findByText((_, element) => element?.tagName === 'P' && (element.textContent ?? '').startsWith('Sent '));
    expect(line).toHaveTextContent(
      /from Erin Kowalski \(the fleet's dispatcher on Catena\) by Dana Dispatcher in this console through Northwind Freight/,
    );
  });

  it('shows pending apart from finished in the bar, and while paced, about how long is left', async () => {
    const base = broadcastDetailAt(seededBroadcasts.northwindWeather);
    const paced = (pace: BroadcastDetail['pace']): BroadcastDetail => ({
      ...base,
      counts: { queued: 2000, pending: 1000, success: 1000, failed: 0 },
      recipient_count: 4000,
      pace,
    });
    let current = paced({ queued: 2000, per_second: 50, seconds_left: 40, waiting_for_catena: false });
    server.use(http.get('/api/broadcasts/:id', () => HttpResponse.json(current)));
    renderApp({ route: `/broadcasts/${base.id}` });

    const bar = await screen.findByRole('progressbar', { name: 'Delivery progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '1000');
    expect(bar).toHaveAttribute('aria-valuetext', '1000 of 4000 finished: 1000 succeeded, 0 failed, 1000 pending, 2000 queued');
    // Pending is a segment of its own, named in the bar, not part of a full bar.
    expect(bar).toHaveTextContent('1000 succeeded1000 pending2000 queued');
    expect(screen.getByText('2000 queued: about 40 s left at 50 a second.')).toBeInTheDocument();

    current = paced({ queued: 2000, per_second: null, seconds_left: null, waiting_for_catena: true });
    expect(
      await screen.findByText(/Catena asked the console to slow down \(too many requests\).*the time left is not known yet/, {}, { timeout: 6000 }),
    ).toBeInTheDocument();
  });

  it('says when a broadcast does not exist', async () => {
    renderApp({ route: '/broadcasts/00000000-0000-4000-8000-000000000000' });
    expect(await screen.findByRole('heading', { name: 'No such broadcast' }, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See all broadcasts' })).toHaveAttribute('href', '/broadcasts');
  });
});

describe('Broadcasts: untrusted text', () => {
  it("shows markup in the message and in a recipient's refusal as the text it is", async () => {
    const markup = '<script>window.__pwned = true</script> and <img src=x onerror="window.__pwned = true">';
    const hostile = structuredClone(broadcastDetailAt(seededBroadcasts.prairieValidation));
    hostile.message_text = markup;
    const [refused] = hostile.recipients;
    if (!refused) throw new Error('the fixture has no recipient');
    Object.assign(refused, { status: 'failed', operation_id: null, error: `Catena refused: ${markup}` });
    server.use(http.get(`/api/broadcasts/${hostile.id}`, () => HttpResponse.json(hostile)));
    renderApp({ route: `/broadcasts/${hostile.id}` });
    const grid = await screen.findByRole('table', { name: /^Recipients/ }, { timeout: 5000 });
    expect(await screen.findAllByText(markup, { exact: false })).not.toHaveLength(0);
    expect(within(grid).getByText(`Catena refused: ${markup}`, { exact: false })).toBeInTheDocument();
    expect(document.querySelector('main img, main script')).toBeNull();
    expect(Reflect.get(window, '__pwned')).toBeUndefined();
  });
});
