import { queryOptions } from '@tanstack/react-query';
import { connectionListSchema } from '../../../../contracts/directory-schemas.ts';
import { apiGet } from '../../../lib/api-client.ts';

/**
 * Connections change rarely (a fleet connects or pauses a TSP), and the server caches them
 * briefly from Catena: a slow poll keeps a long-open console honest without load.
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
