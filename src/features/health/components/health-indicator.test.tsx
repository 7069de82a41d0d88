import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { noWebhookYetFixture, upstreamDownFixture, webhooksStaleFixture } from '../../../mocks/fixtures/health-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

async function openStatusDetails(user: ReturnType<typeof renderApp>['user'], name: RegExp) {
  const button = await screen.findByRole('button', { name });
  await user.click(button);
  expect(button).toHaveAttribute('aria-expanded', 'true');
  return screen.getByRole('region', { name: 'System status' });
}

/** The <dd> that belongs to a <dt> label in the details list. */
function fact(details: HTMLElement, label: string): HTMLElement {
  const term = within(details).getByText(label, { selector: 'dt' });
  const value = term.nextElementSibling;
  if (!(value instanceof HTMLElement)) throw new Error(`no value after "${label}"`);
  return value;
}

describe('HealthIndicator', () => {
  it('says all is well and shows the three facts when the server and Catena answer', async () => {
    const { user } = renderApp();

    const details = await openStatusDetails(user, /system status: catena connected/i);

    expect(fact(details, 'Console server')).toHaveTextContent(/reachable/i);
    expect(fact(details, 'Catena API')).toHaveTextContent(/^Reachable/);
    expect(fact(details, 'Catena API')).toHaveTextContent(/last success (just now|\d+ s ago)/i);
    expect(fact(details, 'Webhooks')).toHaveTextContent(/last received \d+ s ago/i);
  });

  it('says Catena is unreachable, with the last error and the last success', async () => {
    server.use(http.get('/api/health', () => HttpResponse.json(upstreamDownFixture())));
    const { user } = renderApp();

    const details = await openStatusDetails(user, /system status: catena unreachable/i);

    const catena = fact(details, 'Catena API');
    expect(catena).toHaveTextContent(/^Unreachable/);
    expect(catena).toHaveTextContent('Catena did not answer within 10 s');
    expect(catena).toHaveTextContent(/last success 6 min ago/i);
    expect(fact(details, 'Console server')).toHaveTextContent(/^Reachable/);
    // Trouble is announced to screen readers, not only drawn.
    expect(screen.getAllByRole('status').map((region) => region.textContent)).toContain('Catena unreachable');
  });

  it('says the console server is unreachable when /api/health itself fails', async () => {
    server.use(http.get('/api/health', () => HttpResponse.error()));
    const { user } = renderApp();

    const details = await openStatusDetails(user, /system status: console server unreachable/i);

    expect(fact(details, 'Console server')).toHaveTextContent(/^Unreachable/);
    expect(fact(details, 'Console server')).toHaveTextContent(/could not reach the console server/i);
    expect(fact(details, 'Catena API')).toHaveTextContent(/^Unknown/);
  });

  it('says "none received yet" before the first webhook', async () => {
    server.use(http.get('/api/health', () => HttpResponse.json(noWebhookYetFixture())));
    const { user } = renderApp();

    const details = await openStatusDetails(user, /system status: catena connected/i);

    expect(fact(details, 'Webhooks')).toHaveTextContent(/none received yet/i);
  });

  it('says in words that Catena stopped delivering webhooks when our subscription is stale', async () => {
    server.use(http.get('/api/health', () => HttpResponse.json(webhooksStaleFixture())));
    const { user } = renderApp();

    const details = await openStatusDetails(user, /system status: catena webhooks stopped/i);

    const webhooks = fact(details, 'Webhooks');
    expect(webhooks).toHaveTextContent(/subscription stale — not delivering/i);
    expect(webhooks).toHaveTextContent(/replays the missed events/i);
    expect(webhooks).toHaveTextContent(/last received 25 min ago/i);
    expect(fact(details, 'Catena API')).toHaveTextContent(/^Reachable/);
    expect(screen.getAllByRole('status').map((region) => region.textContent)).toContain('Catena webhooks stopped');
  });

  it('opens and closes from the keyboard, returning focus to the button', async () => {
    const { user } = renderApp();
    const button = await screen.findByRole('button', { name: /system status: catena connected/i });

    button.focus();
    await user.keyboard('{Enter}');
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('region', { name: 'System status' })).toBeVisible();

    await user.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveFocus();
    expect(screen.queryByRole('region', { name: 'System status' })).not.toBeInTheDocument();
  });
});
