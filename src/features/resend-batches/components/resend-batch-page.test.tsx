import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiErrorResponse } from '../../../mocks/api-error-response.ts';
import { cancelledBatchFixture, finishedBatchFixture, runningBatchFixture } from '../../../mocks/fixtures/resend-batch-fixtures.ts';
import { viewerSession } from '../../../mocks/fixtures/session-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

beforeAll(async () => {
  // The routes load their pages lazily; load them once here so no test spends its wait on the import.
  await import('./resend-batch-page.tsx');
  await import('./resend-batches-page.tsx');
});

describe('Bulk resend page', () => {
  it('shows progress by item state, in words and as a progress bar, and every item with its links', async () => {
    renderApp({ route: `/resend-batches/${runningBatchFixture.id}` });

    expect(await screen.findByRole('heading', { level: 1, name: 'Bulk resend of 6 operations' })).toBeInTheDocument();
    const progress = screen.getByRole('progressbar', { name: 'Resend progress' });
    expect(progress).toHaveAttribute('aria-valuenow', '4');
    expect(progress).toHaveAttribute('aria-valuemax', '6');
    expect(progress).toHaveAttribute('aria-valuetext', '4 of 6 handled: 2 delivered, 1 failed, 1 pending, 2 queued');

    const table = screen.getByRole('table', { name: /^items:/i });
    const [, first, , third, , fifth] = within(table).getAllByRole('row');
    const item = runningBatchFixture.items[0]!;
    expect(first).toHaveTextContent(item.recipient_name);
    expect(first).toHaveTextContent(item.message_text);
    expect(first).toHaveTextContent('Delivered');
    expect(within(first!).getByRole('link', { name: `Original message to ${item.recipient_name}` })).toHaveAttribute(
      'href',
      `/operations?op=${item.resend_of}`,
    );
    expect(within(first!).getByRole('link', { name: `Resend to ${item.recipient_name}` })).toHaveAttribute(
      'href',
      `/operations?op=${item.operation_id}`,
    );
    expect(third).toHaveTextContent('Failed');
    expect(fifth).toHaveTextContent('Queued');
    expect(fifth).toHaveTextContent('Not sent yet');
    // Not finished: no summary yet.
    expect(screen.queryByText(/^Summary:/)).not.toBeInTheDocument();
  });

  it('cancels what is not sent yet after a confirmation, then shows the summary', async () => {
    const { user } = renderApp({ route: `/resend-batches/${runningBatchFixture.id}` });
    const cancel = await screen.findByRole('button', { name: 'Cancel' });

    await user.click(cancel);
    let dialog = await screen.findByRole('alertdialog', { name: 'Cancel this bulk resend?' });
    expect(dialog).toHaveTextContent('The 2 messages not sent yet will not be sent. What was already sent stays sent.');
    expect(within(dialog).getByRole('button', { name: 'Keep sending' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Keep sending' }));
    expect(cancel).toHaveFocus();

    await user.click(cancel);
    dialog = await screen.findByRole('alertdialog', { name: 'Cancel this bulk resend?' });
    server.use(http.get(`/api/resend-batches/${runningBatchFixture.id}`, () => HttpResponse.json(cancelledBatchFixture)));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel the rest' }));

    expect(
      await screen.findByText(
        'Summary: 4 resent: 3 delivered, 1 failed; 2 cancelled; skipped: 3 already resent, 2 not failed, 1 an error resending cannot fix (validation).',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
    expect(screen.getByText('Progress')).toHaveFocus();
  });

  it('says why a cancel failed and keeps the dialog open', async () => {
    server.use(
      http.post(`/api/resend-batches/${runningBatchFixture.id}/cancel`, () =>
        apiErrorResponse(403, 'forbidden', 'Your role cannot cancel bulk resends.'),
      ),
    );
    const { user } = renderApp({ route: `/resend-batches/${runningBatchFixture.id}` });
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Cancel this bulk resend?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel the rest' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Not cancelled: Your role cannot cancel bulk resends.');
  });

  it('sums up a finished batch, and offers no Cancel', async () => {
    renderApp({ route: `/resend-batches/${finishedBatchFixture.id}` });
    expect(
      await screen.findByText('Summary: 4 resent: 3 delivered, 1 failed; 1 refused; skipped: 2 an error resending cannot fix (validation).'),
    ).toBeInTheDocument();
    expect(screen.getByText(/every operation matching a filter \(7 operations\)/)).toBeInTheDocument();
    expect(screen.getByText('The driver is no longer active on this connection.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
  });

  it('shows a viewer the progress but no Cancel', async () => {
    server.use(http.get('/api/session', () => HttpResponse.json(viewerSession)));
    renderApp({ route: `/resend-batches/${runningBatchFixture.id}` });
    expect(await screen.findByRole('progressbar', { name: 'Resend progress' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
  });

  it('says when there is no such batch', async () => {
    const { user } = renderApp({ route: '/resend-batches/00000000-0000-4000-8000-000000000000' });
    expect(await screen.findByRole('heading', { name: 'No such bulk resend' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'See all bulk resends' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Bulk resends' })).toBeInTheDocument();
  });
});

describe('Bulk resends list', () => {
  it('lists bulk resends newest first, each linked to its page, and is in the navigation', async () => {
    const { user, router } = renderApp({ route: '/operations' });
    await user.click(await screen.findByRole('link', { name: 'Resends' }));

    const table = await screen.findByRole('table', { name: /^bulk resends:/i });
    const [, newest, older] = within(table).getAllByRole('row');
    expect(newest).toHaveTextContent('12 selected operations');
    expect(newest).toHaveTextContent('Under way: 4 of 6 handled');
    expect(older).toHaveTextContent('4 resent: 3 delivered, 1 failed; 1 refused');

    await user.click(within(newest!).getByRole('link', { name: /^Bulk resend started/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/resend-batches/${runningBatchFixture.id}`));
  });

  it('says when there are none yet, and where to start one', async () => {
    server.use(http.get('/api/resend-batches', () => HttpResponse.json({ items: [], next_cursor: null })));
    renderApp({ route: '/resend-batches' });
    expect(await screen.findByRole('heading', { name: 'No bulk resends yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See failed operations' })).toHaveAttribute('href', '/operations?status=failed');
  });
});
