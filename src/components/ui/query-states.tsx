import type { ComponentType, ReactNode } from 'react';
import { errorMessage } from '../../lib/api-client.ts';
import { EmptyState } from './empty-state.tsx';
import { StaleBadge } from './stale-badge.tsx';
import { TryAgainButton } from './try-again-button.tsx';

/** What this needs of a `useQuery` / `useInfiniteQuery` result. */
export type QueryStatesQuery<T> = {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  dataUpdatedAt: number;
  refetch: () => Promise<unknown>;
};

export type QueryErrorView = {
  title: string;
  /** Defaults to the error's message. */
  body?: ReactNode;
  /** The next step; defaults to "Try again" (a refetch). Pass `false` for none. */
  action?: ReactNode;
};

export type QueryEmptyView<T> = {
  /** When the data that did load is nothing to show. */
  when: (data: T) => boolean;
  kind?: 'nothing-yet' | 'no-match';
  title: string;
  body?: ReactNode;
  action?: ReactNode;
  icon?: ComponentType<{ className?: string }>;
};

/**
 * The one way a page shows a query (house style #10, #19): data first — once data has loaded it
 * stays on screen, and a failed refresh is a `QueryStaleBadge` beside it, not an error page; the
 * full error view, with "Try again", is for when there is no data at all; loading is announced;
 * and an empty result names its reason.
 */
export function QueryStates<T>({
  query,
  loading,
  error,
  empty,
  frame,
  children,
}: {
  query: QueryStatesQuery<T>;
  /** Words (shown in the standard loading line) or a skeleton of your own (with its own `role="status"`). */
  loading: ReactNode;
  /** The error view, or a function of the error (e.g. "No such broadcast" on a 404). */
  error: QueryErrorView | ((error: unknown) => QueryErrorView);
  empty?: QueryEmptyView<T>;
  /** Wraps the loading, error and empty views (not the data), where they sit in a layout of their own. */
  frame?: (content: ReactNode) => ReactNode;
  children: (data: T) => ReactNode;
}) {
  const wrap = frame ?? ((content: ReactNode) => content);
  const data = query.data;
  if (data !== undefined) {
    if (empty?.when(data)) {
      return wrap(
        <EmptyState kind={empty.kind ?? 'nothing-yet'} title={empty.title} action={empty.action} icon={empty.icon}>
          {empty.body}
        </EmptyState>,
      );
    }
    return children(data);
  }
  if (query.isPending) {
    return wrap(
      typeof loading === 'string' ? (
        <p role="status" className="px-4 py-10 text-center text-sm text-slate-600 sm:px-5 dark:text-slate-400">
          {loading}
        </p>
      ) : (
        loading
      ),
    );
  }
  const view = typeof error === 'function' ? error(query.error) : error;
  return wrap(
    <EmptyState kind="error" title={view.title} action={view.action === undefined ? <TryAgainButton query={query} /> : view.action || undefined}>
      {view.body === undefined ? errorMessage(query.error) : view.body}
    </EmptyState>,
  );
}

/** "Stale since …" while data is on screen and its last refresh failed; nothing otherwise. */
export function QueryStaleBadge({ query }: { query: QueryStatesQuery<unknown> }) {
  if (!query.isError || query.data === undefined) return null;
  return <StaleBadge since={query.dataUpdatedAt} reason={errorMessage(query.error)} />;
}
