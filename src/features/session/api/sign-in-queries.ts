import { mutationOptions, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { sessionSchema, signInOptionsSchema, type Session } from '../../../../contracts/access-schemas.ts';
import { apiGet, apiRequest, rememberCsrfToken } from '../../../lib/api-client.ts';
import { sessionQueries } from '../../../lib/session-queries.ts';

export type SignInVariables = { email: string; password: string };

export const signInQueries = {
  all: () => ['sign-in'] as const,
  /** What the sign-in page may show before anyone signs in: the demo accounts, with the simulator. */
  options: () =>
    queryOptions({
      queryKey: [...signInQueries.all(), 'options'] as const,
      queryFn: ({ signal }) => apiGet('/api/session/options', signInOptionsSchema, { signal }),
      staleTime: Number.POSITIVE_INFINITY,
    }),
};

export const sessionMutations = {
  /**
   * Starts a session. The answer is the session itself: it goes straight into the session query,
   * so the console opens without asking again, and its CSRF token is remembered for writes.
   */
  signIn: () =>
    mutationOptions({
      mutationKey: [...sessionQueries.all(), 'sign-in'] as const,
      mutationFn: (credentials: SignInVariables): Promise<Session> =>
        apiRequest('/api/session', sessionSchema, { method: 'POST', json: credentials, withoutCsrfToken: true }),
      onSuccess: (session, _variables, _onMutateResult, { client }) => {
        rememberCsrfToken(session.csrf_token);
        client.setQueryData(sessionQueries.current().queryKey, session);
      },
    }),

  /**
   * Ends the session on the server. The caller then forgets every cached answer and leaves for
   * the sign-in page.
   */
  signOut: () =>
    mutationOptions({
      mutationKey: [...sessionQueries.all(), 'sign-out'] as const,
      mutationFn: (): Promise<undefined> => apiRequest('/api/session', z.undefined(), { method: 'DELETE' }),
      onSettled: () => rememberCsrfToken(null),
    }),
};
