import { queryOptions } from '@tanstack/react-query';
import { incidentListSchema, incidentSchema } from '../../contracts/incident-schemas.ts';
import { apiGet } from './api-client.ts';
import { pollInterval } from './live-polling.ts';

/**
 * Provider incidents (decision 0045), one factory for every feature that shows them: the banner
 * on every page and the folded row in Operations read the same cache entry.
 */

/**
 * A dispatcher about to send into a failing TSP should see the banner within seconds of the
 * console opening it (the server looks every 5 s); the poll reads a few store rows, never Catena.
 */
export const INCIDENT_POLL_MS = 10_000;

export const incidentQueries = {
  all: () => ['incidents'] as const,

  /** The open incidents, newest first; polled while the tab is visible. */
  open: () =>
    queryOptions({
      queryKey: [...incidentQueries.all(), 'open'] as const,
      queryFn: ({ signal }) => apiGet('/api/incidents', incidentListSchema, { query: { open: true }, signal }),
      refetchInterval: (query) => pollInterval(INCIDENT_POLL_MS, query.state),
      refetchIntervalInBackground: false,
      staleTime: INCIDENT_POLL_MS - 1_000,
    }),

  /** Recently closed ones too: an armed resend is followed to its batch after the incident closed. */
  recent: () =>
    queryOptions({
      queryKey: [...incidentQueries.all(), 'recent'] as const,
      queryFn: ({ signal }) => apiGet('/api/incidents', incidentListSchema, { query: { limit: 5 }, signal }),
      refetchInterval: (query) => pollInterval(INCIDENT_POLL_MS, query.state),
      refetchIntervalInBackground: false,
      staleTime: INCIDENT_POLL_MS - 1_000,
    }),

  /** One incident, e.g. the one Operations is showing the failures of; polled until it has closed. */
  detail: (id: string) =>
    queryOptions({
      queryKey: [...incidentQueries.all(), 'detail', id] as const,
      queryFn: ({ signal }) => apiGet(`/api/incidents/${encodeURIComponent(id)}`, incidentSchema, { signal }),
      refetchInterval: (query) => (query.state.data?.closed_at ? false : pollInterval(INCIDENT_POLL_MS, query.state)),
      refetchIntervalInBackground: false,
      staleTime: INCIDENT_POLL_MS - 1_000,
    }),
};
