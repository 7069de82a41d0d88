import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { broadcastDetailSchema, broadcastPageSchema, type BroadcastCounts, type BroadcastDetail } from '../../contracts/broadcast-schemas.ts';
import { apiGet } from './api-client.ts';
import { pollInterval } from './live-polling.ts';

/**
 * The broadcasts (GET /api/broadcasts, /api/broadcasts/{id}), one factory for every feature that
 * reads or writes them: the Broadcasts pages, and Compose, which puts a broadcast it created under
 * the detail key (its page opens with it already known) and refreshes the list (house style #18).
 * Here because features do not import each other.
 *
 * Polling is declared here once (house style #5): a broadcast is followed closely while any
 * recipient is still queued or pending, and not at all once every one is final; while the server
 * does not answer, the polls back off. Paused while the tab is hidden.
 */

/** Recipients move every few hundred milliseconds while a broadcast is under way. */
export const BROADCAST_POLL_MS = 2_000;
/** With nothing under way the list still looks for broadcasts that colleagues start. */
export const BROADCAST_LIST_IDLE_POLL_MS = 30_000;
export const BROADCASTS_PAGE_SIZE = 25;

/** Whether any recipient can still change: queued (not handed to Catena yet) or pending. */
export function isUnderWay(counts: BroadcastCounts): boolean {
  return counts.queued + counts.pending > 0;
}

/** Under way, or a recipient's send is in doubt (the console is still checking with Catena). */
function stillMoving(broadcast: BroadcastDetail): boolean {
  return isUnderWay(broadcast.counts) || broadcast.recipients.some((recipient) => recipient.in_doubt === true);
}

export const broadcastQueries = {
  all: () => ['broadcasts'] as const,
  lists: () => [...broadcastQueries.all(), 'list'] as const,

  /** Newest first, a page at a time ("Show more"). */
  list: () =>
    infiniteQueryOptions({
      queryKey: [...broadcastQueries.lists(), { limit: BROADCASTS_PAGE_SIZE }] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet('/api/broadcasts', broadcastPageSchema, {
          query: { cursor: pageParam, limit: BROADCASTS_PAGE_SIZE },
          signal,
        }),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
      refetchInterval: (query) => {
        const underWay = query.state.data?.pages.some((page) => page.items.some((item) => isUnderWay(item.counts)));
        return pollInterval(underWay ? BROADCAST_POLL_MS : BROADCAST_LIST_IDLE_POLL_MS, query.state);
      },
      refetchIntervalInBackground: false,
      staleTime: BROADCAST_POLL_MS - 500,
    }),

  /** One broadcast with every recipient; live until all of them are final. */
  detail: (broadcastId: string) =>
    queryOptions({
      queryKey: [...broadcastQueries.all(), 'detail', broadcastId] as const,
      queryFn: ({ signal }) => apiGet(`/api/broadcasts/${encodeURIComponent(broadcastId)}`, broadcastDetailSchema, { signal }),
      refetchInterval: (query) => {
        const data = query.state.data;
        return data !== undefined && stillMoving(data) ? pollInterval(BROADCAST_POLL_MS, query.state) : false;
      },
      refetchIntervalInBackground: false,
      staleTime: BROADCAST_POLL_MS - 500,
    }),
};
