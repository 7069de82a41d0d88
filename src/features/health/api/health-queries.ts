import { queryOptions } from '@tanstack/react-query';
import { healthSchema } from '../../../../contracts/health-schemas.ts';
import { apiGet } from '../../../lib/api-client.ts';

export const HEALTH_POLL_MS = 10_000;

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
