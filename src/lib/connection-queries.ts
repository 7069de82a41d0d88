import { queryOptions } from '@tanstack/react-query';
import { connectionListSchema } from '../../contracts/directory-schemas.ts';
import { apiGet } from './api-client.ts';

/**
 * The connections, one factory for every feature that shows them (the Overview, Compose, the
 * drawer, Operations' filter): one key, one freshness, one poll. Connections change rarely (a
 * fleet connects or pauses a TSP), but each carries its health (decision 0044), so a page left
 * open all day — Compose above all — must stop warning once the fleet has re-authorised, and
 * start when a connection begins to fail: a slow poll does that without load.
 */
export const CONNECTIONS_POLL_MS = 60_000;

export const connectionQueries = {
  all: () => ['connections'] as const,
  list: () =>
    queryOptions({
      queryKey: [...connectionQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiGet('/api/connections', connectionListSchema, { signal }),
      refetchInterval: CONNECTIONS_POLL_MS,
      staleTime: CONNECTIONS_POLL_MS - 5_000,
    }),
};
