import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../contracts/incident-schemas.ts';
import { armedIncidentFixture, closedIncidentFixture, openIncidentFixture } from '../../../mocks/fixtures/incident-fixtures.ts';
import { viewerSession } from '../../../mocks/fixtures/session-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

/** The console's incidents as the server lists them: `open` for ?open=true, all of them otherwise. */
function incidentsAre(open: () => Incident[], all: () => Incident[] = open) {
  server.use(
    http.get('/api/incidents', ({ request }) =>
      HttpResponse.json({ items: new URL(request.url).searchParams.get('open') === 'true' ? open() : all() }),
    ),
  );
}

describe('the provider incident banner', () => {
  it('is not there while no provider is degraded', async () => {
    renderApp({ route: '/compose' });
    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /incident/i })).not.toBeInTheDocument();
  });

  it('says which provider is degraded, since when and how much failed, links to the failures, and arms the resend', async () => {
    let current = openIncidentFixture;
    incidentsAre(() => [current]);
    server.use(
      http.post('/api/incidents/:id/armed-resend', ({ request }) => {
        // The SPA sends an Idempotency-Key with the arm, as with every write.
        if (!request.headers.get('idempotency-key')) return HttpResponse.json({ error: { code: 'x', message: 'no key' } }, { status: 400 });
        current = armedIncidentFixture;
        return HttpResponse.json(current, { status: 202 });
      }),
    );
    const { user } = renderApp({ route: '/compose' });

    const banner = await screen.findByRole('region', { name: 'Provider incident: Geotab' });
    expect(banner).toHaveTextContent(/Geotab degraded since .+ — 37 failed writes across 2 fleets/);
    expect(within(banner).getByRole('link', { name: 'Show the failed writes' })).toHaveAttribute(
      'href',
      expect.stringContaining(`incident=${openIncidentFixture.id}`),
    );

    await user.click(within(banner).getByRole('button', { name: 'Resend these when Geotab recovers' }));
    expect(await within(banner).findByText(/Armed: resend of 37 writes starts when Geotab recovers/)).toBeInTheDocument();
    expect(within(banner).queryByRole('button', { name: /resend these/i })).not.toBeInTheDocument();
  });

  it('offers no resend to a role that cannot resend', async () => {
    server.use(http.get('/api/session', () => HttpResponse.json(viewerSession)));
    incidentsAre(() => [openIncidentFixture]);
    renderApp({ route: '/operations' });
    const banner = await screen.findByRole('region', { name: 'Provider incident: Geotab' });
    expect(within(banner).queryByRole('button')).not.toBeInTheDocument();
  });

  it('after recovery, links to the bulk resend the armed incident started', async () => {
    incidentsAre(
      () => [],
      () => [{ ...closedIncidentFixture, closed_at: new Date().toISOString() }],
    );
    renderApp({ route: '/compose' });
    const recovered = await screen.findByRole('region', { name: 'Geotab recovered' });
    expect(recovered).toHaveTextContent(/The armed resend of 37 failed writes has started/);
    expect(within(recovered).getByRole('link', { name: 'View the bulk resend' })).toHaveAttribute(
      'href',
      `/resend-batches/${closedIncidentFixture.armed_resend!.resend_batch_id}`,
    );
  });

  it('tells screen readers which provider is degraded, without each poll’s new count', async () => {
    incidentsAre(() => [openIncidentFixture]);
    renderApp({ route: '/compose' });
    await screen.findByRole('region', { name: 'Provider incident: Geotab' });
    const announced = screen.getAllByRole('status').filter((region) => region.textContent?.includes('Provider incident'));
    expect(announced.map((region) => region.textContent)).toEqual(['Provider incident: Geotab degraded.']);
  });

  it('after recovery, says why an armed resend did not start, and lets a recovery older than half an hour go', async () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const nothingLeft = { ...closedIncidentFixture.armed_resend!, resend_batch_id: null, note: 'every failed write was resent meanwhile.' };
    incidentsAre(
      () => [],
      () => [
        { ...closedIncidentFixture, closed_at: minutesAgo(5), armed_resend: nothingLeft },
        { ...closedIncidentFixture, id: '1c1de000-0000-4000-8000-000000000002', tsp: 'samsara', closed_at: minutesAgo(31) },
      ],
    );
    renderApp({ route: '/compose' });
    const recovered = await screen.findByRole('region', { name: 'Geotab recovered' });
    expect(recovered).toHaveTextContent('The armed resend did not start: every failed write was resent meanwhile.');
    expect(within(recovered).queryByRole('link')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Samsara recovered' })).not.toBeInTheDocument();
  });
});
