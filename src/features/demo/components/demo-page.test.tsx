import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DemoScenarioRequest, DemoState, DemoTrafficRequest } from '../../../../contracts/demo-schemas.ts';
import { demoStateFixture } from '../../../mocks/fixtures/demo-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { usePreferencesStore } from '../../../stores/preferences-store.ts';
import { renderApp } from '../../../test/render.tsx';

vi.setConfig({ testTimeout: 20_000 });

/** A simulator behind the console, for this test only: what the page switches is what it reads back. */
function simulatorBehindConsole() {
  const state: DemoState = demoStateFixture();
  const sent: { scenarios: DemoScenarioRequest[]; traffic: DemoTrafficRequest[]; resets: number } = { scenarios: [], traffic: [], resets: 0 };
  server.use(
    http.get('/api/demo', () => HttpResponse.json(state)),
    http.post('/api/demo/scenarios', async ({ request }) => {
      const body = (await request.json()) as DemoScenarioRequest;
      sent.scenarios.push(body);
      const on = {
        id: crypto.randomUUID(),
        scenario: body.scenario,
        connection_id: body.connection_id ?? null,
        tsp: body.tsp ?? null,
        created_at: new Date().toISOString(),
      };
      state.scenarios.push(on);
      return HttpResponse.json(on, { status: 201 });
    }),
    http.delete('/api/demo/scenarios/:id', ({ params }) => {
      state.scenarios = state.scenarios.filter((s) => s.id !== params['id']);
      return new HttpResponse(null, { status: 204 });
    }),
    http.put('/api/demo/traffic', async ({ request }) => {
      const body = (await request.json()) as DemoTrafficRequest;
      sent.traffic.push(body);
      const running = body.writes_per_minute + body.messages_per_minute > 0;
      state.traffic = { running, ...body, written: running ? 3 : state.traffic.written };
      return HttpResponse.json(state.traffic);
    }),
    http.post('/api/demo/reset', () => {
      sent.resets += 1;
      Object.assign(state, demoStateFixture());
      return HttpResponse.json(state);
    }),
  );
  return sent;
}

beforeEach(() => {
  usePreferencesStore.getState().setPresenter(false);
});

describe('Demo page', () => {
  it('does not exist with real Catena: no navigation entry, and /demo is not found', async () => {
    renderApp({ route: '/demo' });
    expect(await screen.findByRole('heading', { name: 'There is no page at this address' })).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: 'Demo' })).not.toBeInTheDocument();
  });

  it('lists what is on in words, switches a Geotab outage on and off again', async () => {
    const sent = simulatorBehindConsole();
    const { user } = renderApp({ route: '/demo' });
    expect(await within(await screen.findByRole('navigation', { name: 'Main' })).findByRole('link', { name: 'Demo' })).toBeInTheDocument();
    const onNow = await screen.findByRole('region', { name: 'On now' });
    expect(within(onNow).getByText('Expired credentials: on for Coastal Carriers (Samsara)')).toBeInTheDocument();

    const byTsp = screen.getByRole('region', { name: 'Scenarios by provider' });
    const geotabOutage = within(byTsp).getByRole('switch', { name: 'Outage for Geotab' });
    expect(geotabOutage).not.toBeChecked();
    await user.click(geotabOutage);
    expect(await within(onNow).findByText('Outage: on for Geotab')).toBeInTheDocument();
    expect(sent.scenarios).toEqual([{ scenario: 'outage', tsp: 'geotab' }]);
    expect(within(byTsp).getByRole('switch', { name: 'Outage for Geotab' })).toBeChecked();

    await user.click(within(onNow).getByRole('button', { name: 'Switch off: Outage: on for Geotab' }));
    await expect.poll(() => within(onNow).queryByText('Outage: on for Geotab')).toBeNull();
    expect(within(byTsp).getByRole('switch', { name: 'Outage for Geotab' })).not.toBeChecked();
  });

  it('switches a scenario for one connection', async () => {
    const sent = simulatorBehindConsole();
    const { user } = renderApp({ route: '/demo' });
    const byConnection = await screen.findByRole('region', { name: 'Scenarios by connection' });
    await user.click(within(byConnection).getByRole('switch', { name: 'Slow for Prairie Haulers (Geotab)' }));
    expect(await within(screen.getByRole('region', { name: 'On now' })).findByText('Slow: on for Prairie Haulers (Geotab)')).toBeInTheDocument();
    expect(sent.scenarios).toEqual([{ scenario: 'slow', connection_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' }]);
  });

  it('starts background traffic at the chosen rates and stops it', async () => {
    const sent = simulatorBehindConsole();
    const { user } = renderApp({ route: '/demo' });
    const traffic = await screen.findByRole('region', { name: 'Background traffic' });
    expect(within(traffic).getByText('Traffic: stopped.')).toBeInTheDocument();
    await user.clear(within(traffic).getByLabelText("Other systems' writes per minute"));
    await user.type(within(traffic).getByLabelText("Other systems' writes per minute"), '30');
    await user.clear(within(traffic).getByLabelText("Dispatchers' messages per minute"));
    await user.type(within(traffic).getByLabelText("Dispatchers' messages per minute"), '12');
    await user.click(within(traffic).getByRole('button', { name: 'Start traffic' }));
    expect(await within(traffic).findByText('Traffic: running — 30 writes and 12 messages a minute; 3 written so far.')).toBeInTheDocument();
    await user.click(within(traffic).getByRole('button', { name: 'Stop traffic' }));
    expect(await within(traffic).findByText('Traffic: stopped.')).toBeInTheDocument();
    expect(sent.traffic).toEqual([
      { writes_per_minute: 30, messages_per_minute: 12 },
      { writes_per_minute: 0, messages_per_minute: 0 },
    ]);
  });

  it('resets the demo only after a confirmation', async () => {
    const sent = simulatorBehindConsole();
    const { user } = renderApp({ route: '/demo' });
    const reset = await screen.findByRole('region', { name: 'Reset' });
    await user.click(within(reset).getByRole('button', { name: 'Reset the demo' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Reset the demo to its seed?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep it as it is' }));
    expect(sent.resets).toBe(0);

    await user.click(within(reset).getByRole('button', { name: 'Reset the demo' }));
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Reset the demo to its seed?' })).getByRole('button', { name: 'Reset the demo' }),
    );
    expect(await within(reset).findByText('The demo is back to its seed.')).toBeInTheDocument();
    expect(sent.resets).toBe(1);
  });

  it('shows a simulator that does not answer in words, with Try again', async () => {
    server.use(
      http.get('/api/demo', () =>
        HttpResponse.json(
          { error: { code: 'simulator_unreachable', message: 'The simulator does not answer, so demo controls cannot change anything.' } },
          { status: 503 },
        ),
      ),
    );
    renderApp({ route: '/demo' });
    expect(await screen.findByText('The simulator does not answer, so demo controls cannot change anything.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /try again/i })).toBeInTheDocument();
  });

  it('turns presenter mode on from the page, as a preference of this device', async () => {
    simulatorBehindConsole();
    const { user } = renderApp({ route: '/demo' });
    // The page's own switch (the footer of every page has one too).
    const onThePage = within(await screen.findByRole('main')).getByRole('switch', { name: /Presenter mode/ });
    await user.click(onThePage);
    expect(usePreferencesStore.getState().presenter).toBe(true);
    expect(onThePage).toBeChecked();
  });
});
