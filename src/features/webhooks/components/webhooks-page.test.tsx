import { screen, within } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { WebhookReplayResult } from '../../../../contracts/webhook-subscription-schemas.ts';
import { apiErrorResponse } from '../../../mocks/api-error-response.ts';
import { dispatcherSession } from '../../../mocks/fixtures/session-fixtures.ts';
import { activeSubscriptionFixture, staleSubscriptionFixture } from '../../../mocks/fixtures/webhook-subscription-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

vi.setConfig({ testTimeout: 20_000 });

async function renderWebhooks() {
  const rendered = renderApp({ route: '/webhooks' });
  const panel = await screen.findByRole('region', { name: 'Our subscription' }, { timeout: 5000 });
  return { ...rendered, panel };
}

/** The value shown under a figure's label. */
function figure(panel: HTMLElement, label: string): HTMLElement {
  const term = within(panel).getByText(label, { selector: 'dt' });
  const value = term.nextElementSibling;
  if (!(value instanceof HTMLElement)) throw new Error(`no value after "${label}"`);
  return value;
}

describe('Webhooks page', () => {
  it('shows an active subscription with its delivery success over 24 h, an empty DLQ and the last failure', async () => {
    const { panel } = await renderWebhooks();

    expect(screen.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeInTheDocument();
    expect(await within(panel).findByText('Status: Active')).toBeInTheDocument();
    expect(figure(panel, 'Delivery success (24 h)')).toHaveTextContent('99 %');
    expect(figure(panel, 'Delivery success (24 h)')).toHaveTextContent('408 of 412 attempts delivered');
    expect(figure(panel, 'Waiting in the dead-letter queue')).toHaveTextContent('None');
    const failures = within(panel).getByRole('table');
    expect(within(failures).getAllByRole('row')).toHaveLength(2);
    expect(within(failures).getByRole('row', { name: /operation succeeded.*HTTP 503/i })).toBeInTheDocument();
  });

  it('says a stale subscription is not delivering, in words; "Reactivate and replay" announces what it did', async () => {
    let replayed = false;
    server.use(
      http.get('/api/webhook-subscription', () => HttpResponse.json(replayed ? activeSubscriptionFixture() : staleSubscriptionFixture())),
      http.post('/api/webhook-subscription/replay', async () => {
        await delay(50);
        replayed = true;
        return HttpResponse.json<WebhookReplayResult>({ reactivated: 2, replayed: 37, subscription: activeSubscriptionFixture() });
      }),
    );
    const { panel, user } = await renderWebhooks();

    expect(await within(panel).findByText('Status: Stale')).toBeInTheDocument();
    expect(within(panel).getByText(/stopped delivering after too many failed deliveries/i)).toBeInTheDocument();
    expect(figure(panel, 'Waiting in the dead-letter queue')).toHaveTextContent('37 events');
    expect(figure(panel, 'Subscriptions')).toHaveTextContent('Operation created: stale');
    expect(within(panel).getByRole('row', { name: /no answer.*ECONNREFUSED/i })).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Reactivate and replay' }));
    expect(await within(panel).findByRole('button', { name: 'Reactivating…' })).toBeDisabled();
    const outcome = await within(panel).findByText(/reactivated 2 subscriptions/i);
    expect(outcome).toHaveTextContent(/^At \d{1,2}:\d{2}:\d{2}.*: Reactivated 2 subscriptions\. Catena is delivering 37 missed events again\.$/);
    expect(
      within(panel)
        .getAllByRole('status')
        .some((region) => region.contains(outcome)),
    ).toBe(true);
    expect(within(panel).getByText('Status: Active')).toBeInTheDocument();
  });

  it('says why a replay failed, and keeps the subscription on screen', async () => {
    server.use(
      http.get('/api/webhook-subscription', () => HttpResponse.json(staleSubscriptionFixture())),
      http.post('/api/webhook-subscription/replay', () =>
        apiErrorResponse(503, 'upstream_unreachable', 'Could not reach Catena (connection refused).'),
      ),
    );
    const { panel, user } = await renderWebhooks();
    await user.click(await within(panel).findByRole('button', { name: 'Reactivate and replay' }));

    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'Could not reactivate and replay: Could not reach Catena (connection refused).',
    );
    expect(within(panel).getByText('Status: Stale')).toBeInTheDocument();
  });

  it('offers "Try again" when the subscription cannot be read', async () => {
    let fail = true;
    server.use(
      http.get('/api/webhook-subscription', () =>
        fail
          ? apiErrorResponse(502, 'upstream_error', 'Catena answered 500 (a problem on Catena’s side).')
          : HttpResponse.json(activeSubscriptionFixture()),
      ),
    );
    const { panel, user } = await renderWebhooks();
    expect(await within(panel).findByRole('alert')).toHaveTextContent('Could not read the subscription');
    fail = false;
    await user.click(within(panel).getByRole('button', { name: 'Try again' }));
    expect(await within(panel).findByText('Status: Active')).toBeInTheDocument();
  });

  it('is only in the navigation for admins', async () => {
    await renderWebhooks();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Webhooks' })).toBeInTheDocument();
  });

  it('is not for a dispatcher', async () => {
    server.use(http.get('/api/session', () => HttpResponse.json(dispatcherSession)));
    renderApp({ route: '/webhooks' });
    expect(await screen.findByRole('heading', { level: 1 }, { timeout: 5000 })).not.toHaveTextContent('Webhooks');
    expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Webhooks' })).not.toBeInTheDocument();
  });
});
