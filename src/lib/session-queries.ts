import { queryOptions } from '@tanstack/react-query';
import { sessionSchema } from '../../contracts/access-schemas.ts';
import { apiGet, rememberCsrfToken } from './api-client.ts';

/**
 * Who is signed in: the one query every part of the console reads (the shell waits for it, the
 * header shows it, `useCan` hides what the role cannot do). It lives in lib/ so that every
 * feature may read it; signing in and out belong to features/session.
 *
 * A 401 is not handled here: the query client's cache reacts to any 401 (this query's or any
 * other's) by sending the person to the sign-in page (src/app/query-client.ts).
 */
export const SESSION_STALE_MS = 60_000;

export const sessionQueries = {
  all: () => ['session'] as const,
  current: () =>
    queryOptions({
      queryKey: [...sessionQueries.all(), 'current'] as const,
      queryFn: async ({ signal }) => {
        const session = await apiGet('/api/session', sessionSchema, { signal });
        // Writes carry this session's token; a refetch after the session was renewed updates it.
        rememberCsrfToken(session.csrf_token);
        return session;
      },
      // An admin may change someone's role: a returning tab asks again after a minute.
      staleTime: SESSION_STALE_MS,
    }),
};
