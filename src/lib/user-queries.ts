import { queryOptions } from '@tanstack/react-query';
import { directoryUserListSchema } from '../../contracts/directory-schemas.ts';
import { apiGet } from './api-client.ts';

/**
 * The drivers and dispatchers (GET /api/users), one factory for every feature that shows them
 * (Compose picks a sender and recipients, Operations names a message's people, the drawer too;
 * house style #18). Here because features do not import each other.
 *
 * One freshness for all of them: people change rarely, and the server caches the directory for a
 * minute (DIRECTORY_CACHE_SECONDS), so asking again sooner than that only returns the same answer:
 * fresh for a minute (a page opened again, or the tab refocused, after that asks again), and a
 * page left open all day asks every five minutes, so a driver added at the TSP shows up.
 */
export const USERS_STALE_MS = 60_000;
export const USERS_REFRESH_MS = 5 * 60_000;

export type DirectoryRole = 'driver' | 'dispatcher';
/** The server's filters; none is every person of every connection. */
export type UserFilters = { connection_id?: string; role?: DirectoryRole };

export const userQueries = {
  all: () => ['users'] as const,
  lists: () => [...userQueries.all(), 'list'] as const,

  list: (filters: UserFilters = {}) =>
    queryOptions({
      queryKey: [...userQueries.lists(), filters] as const,
      queryFn: ({ signal }) => apiGet('/api/users', directoryUserListSchema, { query: filters, signal }),
      staleTime: USERS_STALE_MS,
      refetchInterval: USERS_REFRESH_MS,
      refetchIntervalInBackground: false,
    }),
};
