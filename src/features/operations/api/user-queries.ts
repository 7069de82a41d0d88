import { queryOptions } from '@tanstack/react-query';
import { directoryUserListSchema } from '../../../../contracts/directory-schemas.ts';
import { apiGet } from '../../../lib/api-client.ts';

/**
 * Drivers and dispatchers of every connection, to name a message's recipient in the table.
 * People change rarely and the server caches the directory briefly: a slow refresh is enough.
 */
export const USERS_REFRESH_MS = 5 * 60_000;

export const userQueries = {
  all: () => ['users'] as const,
  list: () =>
    queryOptions({
      queryKey: [...userQueries.all(), 'list', {}] as const,
      queryFn: ({ signal }) => apiGet('/api/users', directoryUserListSchema, { signal }),
      staleTime: USERS_REFRESH_MS,
      refetchInterval: USERS_REFRESH_MS,
      refetchIntervalInBackground: false,
    }),
};
