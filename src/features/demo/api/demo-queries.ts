import { mutationOptions, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  demoScenarioOnSchema,
  demoStateSchema,
  demoTrafficSchema,
  type DemoScenarioRequest,
  type DemoTrafficRequest,
} from '../../../../contracts/demo-schemas.ts';
import { apiGet, apiRequest, isApiError } from '../../../lib/api-client.ts';

/** The Demo page follows the simulator while it is open: traffic's count and what others switched. */
export const DEMO_POLL_MS = 5_000;

export const demoQueries = {
  all: () => ['demo'] as const,
  state: () =>
    queryOptions({
      queryKey: [...demoQueries.all(), 'state'] as const,
      queryFn: ({ signal }) => apiGet('/api/demo', demoStateSchema, { signal }),
      refetchInterval: DEMO_POLL_MS,
      refetchIntervalInBackground: false,
      staleTime: DEMO_POLL_MS - 1_000,
    }),
  /**
   * Whether this console is in demo mode (decision 0047): with real Catena `/api/demo` does not
   * exist (404). Any other answer (403 for a role without it, 503 for a simulator that is down)
   * means the routes exist: the page then says what is wrong. Known once per session.
   */
  availability: () =>
    queryOptions({
      queryKey: [...demoQueries.all(), 'availability'] as const,
      queryFn: async ({ signal }) => {
        try {
          await apiGet('/api/demo', z.unknown(), { signal });
          return true;
        } catch (error) {
          if (isApiError(error) && error.status === 404) return false;
          if (isApiError(error) && error.status > 0) return true;
          throw error;
        }
      },
      staleTime: Infinity,
    }),
};

export const demoMutations = {
  switchOn: () =>
    mutationOptions({
      mutationKey: [...demoQueries.all(), 'switch-on'] as const,
      mutationFn: (body: DemoScenarioRequest) => apiRequest('/api/demo/scenarios', demoScenarioOnSchema, { method: 'POST', json: body }),
      onSettled: (_data, _error, _variables, _context, { client }) => client.invalidateQueries({ queryKey: demoQueries.state().queryKey }),
    }),
  switchOff: () =>
    mutationOptions({
      mutationKey: [...demoQueries.all(), 'switch-off'] as const,
      mutationFn: (scenarioId: string) => apiRequest(`/api/demo/scenarios/${encodeURIComponent(scenarioId)}`, z.unknown(), { method: 'DELETE' }),
      onSettled: (_data, _error, _variables, _context, { client }) => client.invalidateQueries({ queryKey: demoQueries.state().queryKey }),
    }),
  setTraffic: () =>
    mutationOptions({
      mutationKey: [...demoQueries.all(), 'traffic'] as const,
      mutationFn: (body: DemoTrafficRequest) => apiRequest('/api/demo/traffic', demoTrafficSchema, { method: 'PUT', json: body }),
      onSettled: (_data, _error, _variables, _context, { client }) => client.invalidateQueries({ queryKey: demoQueries.state().queryKey }),
    }),
  reset: () =>
    mutationOptions({
      mutationKey: [...demoQueries.all(), 'reset'] as const,
      mutationFn: () => apiRequest('/api/demo/reset', demoStateSchema, { method: 'POST' }),
      // A reset changes the fleets and every operation's future: everything cached reads again.
      onSettled: (_data, _error, _variables, _context, { client }) => client.invalidateQueries(),
    }),
};
