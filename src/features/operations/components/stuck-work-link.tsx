import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { AlertTriangleIcon } from '../../../components/ui/icons.tsx';
import { operationQueries } from '../api/operation-queries.ts';
import type { OperationsFilterState } from '../operations-search-schemas.ts';

/** The last 7 days of stuck work: what the link opens, so the count and the list agree. */
const STUCK_WORK: OperationsFilterState = {
  connection: [],
  resource: [],
  status: [],
  type: [],
  error: [],
  range: '7d',
  from: undefined,
  to: undefined,
  q: undefined,
  incident: undefined,
  stuck: true,
};
/** Stuck means minutes past due: a count a minute late is still true enough. */
const STUCK_POLL_MS = 30_000;

/**
 * "3 stuck" in the header, on every page, when operations are still pending well past the time
 * their resource usually takes (the server's STUCK_AFTER_MINUTES); it opens them in Operations.
 * Nothing when there are none.
 */
export function StuckWorkLink() {
  const summary = useQuery(operationQueries.summary(STUCK_WORK, { intervalMs: STUCK_POLL_MS }));
  const count = summary.data?.stuck ?? 0;
  if (count === 0) return null;
  return (
    <Link
      to="/operations"
      search={{ stuck: true, range: '7d' }}
      title="Operations still pending well past the time their resource usually takes, in the last 7 days"
      className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm font-medium text-amber-800 ring-1 ring-amber-600/30 ring-inset hover:bg-amber-50 dark:text-amber-200 dark:ring-amber-400/40 dark:hover:bg-amber-400/10"
    >
      <AlertTriangleIcon aria-hidden="true" className="size-4" />
      {count.toLocaleString()} stuck
    </Link>
  );
}
