import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { connectionFixtures, connectionsWithHealth, healthFixture } from '../../../mocks/fixtures/connection-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';

beforeAll(async () => {
  // The route loads its page lazily; load it once here so no test spends its wait on the first import.
  await import('./operations-page.tsx');
});

/** The query of every GET /api/operations MSW receives, in order. */
function listRequests(): URLSearchParams[] {
  const seen: URLSearchParams[] = [];
  const listener = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/operations') seen.push(url.searchParams);
  };
  server.events.on('request:start', listener);
  onTestFinished(() => {
    server.events.removeListener('request:start', listener);
  });
  return seen;
}

async function openConnectionFilter(user: ReturnType<typeof renderApp>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Connection: any' }, { timeout: 5000 }));
  return screen.getByRole('group', { name: 'Connection' });
}

describe('Operations: the connection filter says each connection’s health', () => {
  it('names a failing or degraded connection’s health in words, and leaves healthy ones plain', async () => {
    server.use(
      http.get('/api/connections', () => HttpResponse.json({ items: connectionsWithHealth({ 'Prairie Haulers': healthFixture('degraded') }) })),
    );
    const { user } = renderApp({ route: '/operations' });
    const filter = await openConnectionFilter(user);

    expect(within(filter).getByRole('checkbox', { name: 'Coastal Carriers · Samsara Failing' })).toBeInTheDocument();
    expect(within(filter).getByRole('checkbox', { name: 'Prairie Haulers · Geotab Degraded' })).toBeInTheDocument();
    expect(within(filter).getByRole('checkbox', { name: 'Northwind Freight · Samsara' })).toBeInTheDocument();
    expect(within(filter).queryByRole('link', { name: 'See failures of Northwind Freight' })).not.toBeInTheDocument();
  });

  it('takes the reader from a failing connection straight to its failed writes', async () => {
    const coastal = connectionFixtures.find((connection) => connection.name === 'Coastal Carriers');
    const lists = listRequests();
    const { user } = renderApp({ route: '/operations' });
    const filter = await openConnectionFilter(user);

    await user.click(within(filter).getByRole('link', { name: 'See failures of Coastal Carriers' }));

    expect(await screen.findByRole('button', { name: 'Connection: Coastal Carriers' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Status: Failed' })).toBeInTheDocument();
    await waitFor(() => {
      const last = lists.at(-1);
      expect(last?.getAll('status')).toEqual(['failed']);
      expect(last?.getAll('connection_id')).toEqual([coastal?.id]);
    });
  });
});
