import { infiniteQueryOptions, keepPreviousData, queryOptions, type InfiniteData } from '@tanstack/react-query';
import {
  operationFacetsSchema,
  operationFailuresSchema,
  operationPageSchema,
  type OperationFilters,
  operationSummarySchema,
  operationTimelineSchema,
  type OperationPage,
  type OperationSummary,
  type OperationTimeline,
  type OperationSort,
  type SortOrder,
} from '../../../../contracts/operation-schemas.ts';
import { apiGet, type QueryParamValue } from '../../../lib/api-client.ts';
import { pollInterval, type LiveMode } from '../../../lib/live-polling.ts';
import { operationKeys } from '../../../lib/operation-detail-queries.ts';
import type { OperationsFilterState } from '../operations-search-schemas.ts';
import { chartWindow, isClosedRange, listWindow } from '../time-range.ts';

/**
 * Server state of the Operations page (house style #4): the list (cursor pages), the counts and
 * the timeline, each keyed by the filters as they stand in the URL. A relative range ("last 24
 * hours") is resolved to times when a request is made, so polling moves the window with the
 * clock without a new cache entry per second.
 *
 * Polling is declared here once (house style #5): every `intervalMs` while the page is open and
 * the tab visible, longer while the server does not answer, and not at all when the reader paused
 * live mode or when nothing can change any more (a range in the past with nothing pending).
 */

export const OPERATIONS_PAGE_SIZE = 100;

type Window = { from: string; to: string | undefined };
/** The list's page parameter: the cursor, and the window page 1 used, so later pages match it. */
export type OperationsPageParam = { cursor: string | null; window: Window | null };
export type OperationsListPage = OperationPage & { window: Window };
export type OperationsSortState = { sort: OperationSort; order: SortOrder };

function filterParams(filters: OperationsFilterState, window: Window): Record<string, QueryParamValue> {
  return {
    connection_id: filters.connection,
    resource: filters.resource,
    status: filters.status,
    operation_type: filters.type,
    error_type: filters.error,
    from: window.from,
    to: window.to,
    q: filters.q,
    incident: filters.incident,
    stuck: filters.stuck ? 'true' : undefined,
    exclude_incident: filters.incident ? undefined : filters.fold,
  };
}

/**
 * The filters as the server takes them in a JSON body (a bulk resend of "all matching"), with the
 * window frozen at `now`: what the person saw counted is what is sent, not what arrives later.
 */
export function frozenFilters(filters: OperationsFilterState, now: number): OperationFilters {
  const window = listWindow(filters, now);
  const frozen: OperationFilters = { from: window.from, to: window.to ?? new Date(now).toISOString() };
  // An empty list would mean "none of these" to the server; an unset filter is left out.
  if (filters.connection.length > 0) frozen.connection_id = filters.connection;
  if (filters.resource.length > 0) frozen.resource = filters.resource;
  if (filters.status.length > 0) frozen.status = filters.status;
  if (filters.type.length > 0) frozen.operation_type = filters.type;
  if (filters.error.length > 0) frozen.error_type = filters.error;
  if (filters.q) frozen.q = filters.q;
  if (filters.stuck) frozen.stuck = true;
  if (filters.incident) frozen.incident = filters.incident;
  else if (filters.fold?.length) frozen.exclude_incident = [...filters.fold];
  return frozen;
}

type PolledQuery<TData> = {
  state: { data: TData | undefined; status: string; dataUpdatedAt: number; errorUpdatedAt: number; errorUpdateCount: number };
};

function livePolling<TData>(live: LiveMode, filters: OperationsFilterState, hasPending: (data: TData) => boolean) {
  const { intervalMs } = live;
  return {
    refetchInterval: (query: PolledQuery<TData>) => {
      if (intervalMs === false) return false;
      const { data } = query.state;
      if (data !== undefined && isClosedRange(filters, Date.now()) && !hasPending(data)) return false;
      return pollInterval(intervalMs, query.state);
    },
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: intervalMs !== false,
    // Fresh until just before the next poll; paused, the view stays as the reader froze it.
    staleTime: intervalMs === false ? Number.POSITIVE_INFINITY : Math.max(intervalMs - 500, 0),
  } as const;
}

export const operationQueries = {
  // The root and list keys are shared (src/lib/operation-detail-queries.ts): Compose refreshes the list after a send.
  all: operationKeys.all,
  lists: operationKeys.lists,

  list: (filters: OperationsFilterState, sort: OperationsSortState, live: LiveMode) =>
    infiniteQueryOptions({
      queryKey: [...operationQueries.lists(), { filters, ...sort }] as const,
      queryFn: async ({ pageParam, signal }): Promise<OperationsListPage> => {
        const window = pageParam.window ?? listWindow(filters, Date.now());
        const page = await apiGet('/api/operations', operationPageSchema, {
          query: {
            ...filterParams(filters, window),
            sort: sort.sort,
            order: sort.order,
            limit: OPERATIONS_PAGE_SIZE,
            cursor: pageParam.cursor,
          },
          signal,
        });
        return { ...page, window };
      },
      initialPageParam: { cursor: null, window: null } as OperationsPageParam,
      getNextPageParam: (last): OperationsPageParam | undefined => (last.next_cursor ? { cursor: last.next_cursor, window: last.window } : undefined),
      // Another filter's rows stay on screen, dimmed, until the new ones arrive (house style #6).
      placeholderData: keepPreviousData,
      ...livePolling<InfiniteData<OperationsListPage, OperationsPageParam>>(live, filters, (data) =>
        data.pages.some((page) => page.items.some((operation) => operation.status === 'pending')),
      ),
    }),

  summary: (filters: OperationsFilterState, live: LiveMode) =>
    queryOptions({
      queryKey: [...operationQueries.all(), 'summary', filters] as const,
      queryFn: ({ signal }) =>
        apiGet('/api/operations/summary', operationSummarySchema, {
          query: filterParams(filters, listWindow(filters, Date.now())),
          signal,
        }),
      placeholderData: keepPreviousData,
      ...livePolling<OperationSummary>(live, filters, (data) => (data.by_status.pending ?? 0) > 0),
    }),

  /**
   * Which resources and operation types occur under the other filters, with counts: the Resource
   * and Type menus list these. Refreshed with the list, never faster than every 15 s.
   */
  facets: (filters: OperationsFilterState) =>
    queryOptions({
      queryKey: [...operationQueries.all(), 'facets', filters] as const,
      queryFn: ({ signal }) =>
        apiGet('/api/operations/facets', operationFacetsSchema, { query: filterParams(filters, listWindow(filters, Date.now())), signal }),
      placeholderData: keepPreviousData,
      staleTime: 15_000,
      refetchInterval: 30_000,
      refetchIntervalInBackground: false,
    }),

  /** Failed writes per connection and resource in the last 24 hours (the Overview). */
  failures: () =>
    queryOptions({
      queryKey: [...operationQueries.all(), 'failures'] as const,
      queryFn: ({ signal }) =>
        apiGet('/api/operations/failures', operationFailuresSchema, { query: { from: new Date(Date.now() - 24 * 3_600_000).toISOString() }, signal }),
      staleTime: 25_000,
      refetchInterval: 30_000,
      refetchIntervalInBackground: false,
    }),

  timeline: (filters: OperationsFilterState, live: LiveMode) =>
    queryOptions({
      queryKey: [...operationQueries.all(), 'timeline', filters] as const,
      queryFn: ({ signal }) => {
        const { from, to, buckets } = chartWindow(filters, Date.now());
        return apiGet('/api/operations/timeline', operationTimelineSchema, {
          query: { ...filterParams(filters, { from, to }), buckets },
          signal,
        });
      },
      placeholderData: keepPreviousData,
      ...livePolling<OperationTimeline>(live, filters, (data) => data.buckets.some((bucket) => bucket.pending > 0)),
    }),
};
