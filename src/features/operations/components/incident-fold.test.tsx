import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { openIncidentFixture } from '../../../mocks/fixtures/incident-fixtures.ts';
import { operationFixture } from '../../../mocks/fixtures/operation-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

describe('the Operations table during an incident', () => {
  it('folds the incident’s failures into one row that expands to show them', async () => {
    const failures = Array.from({ length: 3 }, (_, index) =>
      operationFixture({ minutesAgo: 2 + index, status: 'failed', last_error_type: 'tsp', attempt_count: 5 }),
    );
    const others = [operationFixture({ minutesAgo: 1 })];
    server.use(http.get('/api/incidents', () => HttpResponse.json({ items: [{ ...openIncidentFixture, failed_count: failures.length }] })));
    const answer = (params: URLSearchParams) =>
      params.get('incident') === openIncidentFixture.id
        ? failures
        : params.getAll('exclude_incident').includes(openIncidentFixture.id)
          ? others
          : [...failures, ...others];
    server.use(
      http.get('/api/operations/summary', ({ request }) => {
        const items = answer(new URL(request.url).searchParams);
        const zero = { auth: 0, validation: 0, network: 0, tsp: 0 };
        return HttpResponse.json({
          total: items.length,
          by_status: {
            pending: 0,
            success: items.filter((o) => o.status === 'success').length,
            failed: items.filter((o) => o.status === 'failed').length,
          },
          by_error_type: { ...zero, tsp: items.filter((o) => o.status === 'failed').length },
          recovered_by_error_type: zero,
          stuck: 0,
        });
      }),
      http.get('/api/operations', ({ request }) => HttpResponse.json({ items: answer(new URL(request.url).searchParams), next_cursor: null })),
    );
    const { user, router } = renderApp({ route: '/operations' });

    const fold = await screen.findByRole('region', { name: 'Failed writes in the Geotab incident' });
    expect(await within(fold).findByText('3 failed writes in the Geotab incident')).toBeInTheDocument();
    const show = within(fold).getByRole('button', { name: 'Show them' });
    await user.click(show);
    expect(show).toHaveAttribute('aria-expanded', 'true');
    const opens = await within(fold).findAllByRole('button', { name: /^Open / });
    expect(opens).toHaveLength(3);
    await user.click(opens[0]!);
    expect(router.state.location.search).toMatchObject({ op: failures[0]!.id });
  });

  it('says in words which incident the table is narrowed to, and shows everything again on request', async () => {
    const { user, router } = renderApp({ route: `/operations?incident=${openIncidentFixture.id}` });

    const scope = await screen.findByRole('region', { name: 'Provider incident shown' }, { timeout: 5000 });
    expect(
      await within(scope).findByText(/^Showing only the failed writes of the Geotab incident \(degraded since .+, still open\)\.$/),
    ).toBeInTheDocument();
    await user.click(within(scope).getByRole('button', { name: 'Show all operations' }));

    expect(router.state.location.search).not.toHaveProperty('incident');
    expect(screen.queryByRole('region', { name: 'Provider incident shown' })).not.toBeInTheDocument();
  });
});
