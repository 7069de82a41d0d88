import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client.ts';

/** Retry what may heal (network, 5xx) twice; a 4xx answer will not change by asking again. */
function retryTransient(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(options: { retry?: boolean | typeof retryTransient } = {}): QueryClient {
  return new QueryClient({
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
}

/** The app's one query client (tests make a fresh one per test with createQueryClient). */
export const queryClient = createQueryClient();
