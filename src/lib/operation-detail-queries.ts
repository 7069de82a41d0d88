import { queryOptions } from '@tanstack/react-query';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import { apiGet } from './api-client.ts';
import { pollInterval } from './live-polling.ts';

/**
 * One operation with its attempts (GET /api/operations/{id}), one factory for every feature that
 * shows one: the log drawer, and Compose's sent message (house style #18). Here because features
 * do not import each other. Compose puts the operation it just sent under this key, so opening its
 * log is instant and both follow it with the same poll.
 */

/** The operations' root key: whatever invalidates it (a resend, a send, a page's refresh) refreshes an open detail too. */
export const operationKeys = {
  all: () => ['operations'] as const,
  lists: () => [...operationKeys.all(), 'list'] as const,
};

/**
 * Catena retries within seconds and a message is usually delivered within seconds. One interval
 * for every view of an operation (Compose used to poll at 1.5 s, the drawer at 2 s): the same
 * cache entry watched by two intervals would be fetched at the faster one anyway, and 2 s is
 * close enough to follow a delivery without doubling the load of a drawer left open.
 */
export const OPERATION_DETAIL_POLL_MS = 2_000;

/**
 * Whether the operation can still change what a view says of it: it is pending (Catena may still
 * retry it), or the newest send of its chain is (the drawer says "Already resent as … (Pending)").
 */
export function operationStillMoving(operation: OperationDetail | undefined): boolean {
  return operation?.status === 'pending' || operation?.chain?.at(-1)?.status === 'pending';
}

export const operationDetailQueries = {
  all: () => [...operationKeys.all(), 'detail'] as const,

  /**
   * Polled while the operation is still moving, not once it is final (house style #5); while the
   * server does not answer, the polls back off. Paused while the tab is hidden.
   */
  detail: (operationId: string) =>
    queryOptions({
      queryKey: [...operationDetailQueries.all(), operationId] as const,
      queryFn: ({ signal }) => apiGet(`/api/operations/${encodeURIComponent(operationId)}`, operationDetailSchema, { signal }),
      refetchInterval: (query) => (operationStillMoving(query.state.data) ? pollInterval(OPERATION_DETAIL_POLL_MS, query.state) : false),
      refetchIntervalInBackground: false,
      staleTime: OPERATION_DETAIL_POLL_MS - 500,
    }),
};
