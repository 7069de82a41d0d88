import { useInfiniteQuery } from '@tanstack/react-query';
import { useTable } from '@tanstack/react-table';
import { useId, useMemo } from 'react';
import type { AuditEntry } from '../../../../contracts/access-schemas.ts';
import { Button } from '../../../components/ui/button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { Select, labelClasses } from '../../../components/ui/form-field.tsx';
import { RefreshIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStaleBadge, QueryStates } from '../../../components/ui/query-states.tsx';
import { auditQueries } from '../api/account-queries.ts';
import { auditRoute } from '../accounts-routes.ts';
import { auditActionInWords, auditActionWords, isKnownAuditAction, knownAuditActions } from '../audit-words.ts';
import { auditCardLayout, auditColumns, auditTableFeatures } from './audit-columns.tsx';

const noEntries: AuditEntry[] = [];

/**
 * "/audit" (admins only): who did what and when, newest first: sign-ins (failed ones too), sign
 * outs, every message, resend and broadcast, every change to an account. Filtered by action in
 * the URL; older entries load a page at a time.
 */
export function AuditLogPage() {
  const { action } = auditRoute.useSearch();
  const navigate = auditRoute.useNavigate();
  const audit = useInfiniteQuery(auditQueries.list({ action }));
  const filterId = useId();

  const entries = useMemo(() => audit.data?.pages.flatMap((page) => page.items) ?? noEntries, [audit.data]);
  const table = useTable({
    features: auditTableFeatures,
    columns: auditColumns,
    data: entries,
    getRowId: (entry) => String(entry.id),
  });

  const hasData = audit.data !== undefined;
  const setAction = (next: string | undefined) => void navigate({ search: (previous) => ({ ...previous, action: next }) });

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Audit log</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Who did what, and when: sign-ins (failed ones too), messages, resends, broadcasts and changes to accounts. Newest first.
        </p>
      </div>

      <Panel
        title="Entries"
        titleId="audit-heading"
        description={
          hasData
            ? `${entries.length}${audit.hasNextPage ? '+' : ''} ${entries.length === 1 ? 'entry' : 'entries'}${action ? ` · ${auditActionInWords(action)}` : ''}`
            : 'Every action that changes something, and every sign-in.'
        }
        actions={
          <>
            <QueryStaleBadge query={audit} />
            <div className="flex items-center gap-2">
              <label htmlFor={filterId} className={`${labelClasses} whitespace-nowrap`}>
                Action
              </label>
              <Select
                id={filterId}
                value={action ?? ''}
                onChange={(event) => setAction(event.target.value === '' ? undefined : event.target.value)}
                className="w-56"
              >
                <option value="">All actions</option>
                {knownAuditActions.map((known) => (
                  <option key={known} value={known}>
                    {auditActionWords[known]}
                  </option>
                ))}
                {action && !isKnownAuditAction(action) ? <option value={action}>{action}</option> : null}
              </Select>
            </div>
            {hasData ? (
              <Button size="sm" variant="ghost" onClick={() => void audit.refetch()} disabled={audit.isFetching} aria-label="Refresh the audit log">
                <RefreshIcon className={`size-4 ${audit.isFetching && !audit.isFetchingNextPage ? 'animate-spin' : ''}`} />
                <span className="hidden sm:inline">Refresh</span>
              </Button>
            ) : null}
          </>
        }
      >
        <QueryStates
          query={audit}
          loading="Loading the audit log…"
          error={{ title: 'Could not load the audit log' }}
          empty={
            action
              ? {
                  when: () => entries.length === 0,
                  kind: 'no-match',
                  title: 'No entries for this action',
                  body: 'Nobody has done this yet.',
                  action: (
                    <Button variant="secondary" onClick={() => setAction(undefined)}>
                      Show all actions
                    </Button>
                  ),
                }
              : {
                  when: () => entries.length === 0,
                  title: 'Nothing logged yet',
                  body: 'Sign-ins, messages and changes to accounts appear here as they happen.',
                }
          }
        >
          {() => (
            <>
              <DataTable
                table={table}
                caption="Audit log, newest first: when, who, action, target, details and address"
                rowHeaderColumnId="at"
                dimmed={audit.isPlaceholderData}
                columnClasses={{ at: 'w-36', actor: 'w-56', target: 'max-w-64', ip: 'w-32' }}
                card={auditCardLayout}
              />
              <div className="flex items-center justify-center border-t border-slate-200 px-4 py-3 dark:border-slate-800">
                {audit.hasNextPage ? (
                  <Button variant="secondary" size="sm" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
                    {audit.isFetchingNextPage ? 'Loading older entries…' : 'Load older entries'}
                  </Button>
                ) : (
                  <p className="text-xs text-slate-500 dark:text-slate-400">No older entries.</p>
                )}
              </div>
            </>
          )}
        </QueryStates>
      </Panel>
    </div>
  );
}
