import { queryOptions } from '@tanstack/react-query';
import { healthSchema } from '../../../../contracts/health-schemas.ts';
import { apiGet } from '../../../lib/api-client.ts';

/**
 * Every few seconds: the header must say Catena stopped answering within about 5 s (the server
 * knows at once when a call fails, and 5 s into a call that hangs), and that it is back as soon
 * as a call succeeds. A poll reads three rows of the console's store; it never calls Catena.
 */
export const HEALTH_POLL_MS = 3_000;

export const healthQueries = {
  all: () => ['health'] as const,
  /**
   * Polled for as long as the header is on screen. Paused while the tab is hidden
   * (refetchIntervalInBackground: false) and refreshed on return (refetchOnWindowFocus).
   * No retries: the next poll is the retry, and a failure should show at once.
   */
  status: () =>
    queryOptions({
      queryKey: [...healthQueries.all(), 'status'] as const,
      queryFn: ({ signal }) => apiGet('/api/health', healthSchema, { signal }),
      refetchInterval: HEALTH_POLL_MS,
      refetchIntervalInBackground: false,
      refetchOnWindowFocus: true,
      staleTime: HEALTH_POLL_MS - 1_000,
      retry: false,
    }),
};
