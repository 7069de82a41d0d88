import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client.ts';

/** Retry what may heal (network, 5xx) twice; a 4xx answer will not change by asking again. */
function retryTransient(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/** The server's answer for a request without a live session (expired, signed out elsewhere, account disabled). */
export function isSignedOutError(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}

const signedOutHandlers = new WeakMap<QueryClient, () => void>();

/**
 * What to do when any query or mutation of this client learns that the session is gone. The
 * router registers it (src/app/router.tsx): it needs the client, and the client is made first.
 * Returns a function that removes the handler.
 */
export function onSignedOut(queryClient: QueryClient, handler: () => void): () => void {
  signedOutHandlers.set(queryClient, handler);
  return () => {
    if (signedOutHandlers.get(queryClient) === handler) signedOutHandlers.delete(queryClient);
  };
}

export function createQueryClient(options: { retry?: boolean | typeof retryTransient } = {}): QueryClient {
  // One place reacts to a 401, whichever request met it: the cache callbacks run for every query
  // and mutation, where a component's own onError would only run while it is mounted.
  const reportSignedOut = (error: unknown) => {
    if (isSignedOutError(error)) signedOutHandlers.get(queryClient)?.();
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: reportSignedOut }),
    mutationCache: new MutationCache({ onError: reportSignedOut }),
    defaultOptions: {
      queries: {
        retry: options.retry ?? retryTransient,
        staleTime: 5_000,
      },
      mutations: {
        // Writes carry idempotency keys, but whether to resend is the person's decision.
        retry: false,
      },
    },
  });
  return queryClient;
}

/** The app's one query client (tests make a fresh one per test with createQueryClient). */
export const queryClient = createQueryClient();
