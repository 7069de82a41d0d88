import { useQuery } from '@tanstack/react-query';
import { useTable } from '@tanstack/react-table';
import { useState } from 'react';
import type { Account } from '../../../../contracts/access-schemas.ts';
import { UserPlusIcon } from '../../../components/ui/access-icons.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { CheckCircleIcon, RefreshIcon, XIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStaleBadge, QueryStates } from '../../../components/ui/query-states.tsx';
import { accountsRoute } from '../accounts-routes.ts';
import { accountQueries } from '../api/account-queries.ts';
import { accountCardLayout, accountColumns, accountTableFeatures } from './account-columns.tsx';
import { AddAccountDialog } from './add-account-dialog.tsx';

const noAccounts: Account[] = [];

/**
 * "/accounts" (admins only): who can sign in to this console and with which role. An admin adds
 * accounts, changes roles, disables and enables accounts and sets new passwords; every change
 * lands in the audit log. `?account=<id>` marks one account as the current row (the audit log
 * links to it).
 */
export function AccountsPage() {
  const { account: picked } = accountsRoute.useSearch();
  const accounts = useQuery(accountQueries.list());
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const items = accounts.data?.items ?? noAccounts;
  const table = useTable({
    features: accountTableFeatures,
    columns: accountColumns,
    data: items,
    getRowId: (account) => account.id,
  });

  const hasData = accounts.data !== undefined;
  const active = items.filter((account) => !account.disabled).length;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Accounts</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Who can sign in to this console, and what their role lets them do. Changes take effect at once: the person is signed out and signs in again.
        </p>
      </div>

      {added ? (
        <div
          role="status"
          className="flex items-center gap-2.5 rounded-lg bg-emerald-50 px-3 py-2.5 text-sm text-emerald-900 ring-1 ring-emerald-600/20 ring-inset dark:bg-emerald-500/10 dark:text-emerald-200 dark:ring-emerald-400/25"
        >
          <CheckCircleIcon className="size-4 text-emerald-600 dark:text-emerald-400" />
          <p className="min-w-0 flex-1">Added {added}. They can sign in now.</p>
          <button
            type="button"
            onClick={() => setAdded(null)}
            className="rounded p-1 text-emerald-800 hover:bg-emerald-100 dark:text-emerald-200 dark:hover:bg-emerald-500/20"
          >
            <XIcon className="size-4" />
            <span className="sr-only">Dismiss</span>
          </button>
        </div>
      ) : null}

      <Panel
        title="Accounts"
        titleId="accounts-heading"
        description={
          hasData
            ? `${items.length} ${items.length === 1 ? 'account' : 'accounts'} · ${active} active`
            : 'Each person who uses the console has an account of their own.'
        }
        actions={
          <>
            <QueryStaleBadge query={accounts} />
            {hasData ? (
              <Button size="sm" variant="ghost" onClick={() => void accounts.refetch()} disabled={accounts.isFetching} aria-label="Refresh accounts">
                <RefreshIcon className={`size-4 ${accounts.isFetching ? 'animate-spin' : ''}`} />
                <span className="hidden sm:inline">{accounts.isFetching ? 'Refreshing…' : 'Refresh'}</span>
              </Button>
            ) : null}
            <Button
              size="sm"
              variant="primary"
              onClick={() => {
                setAdded(null);
                setAdding(true);
              }}
            >
              <UserPlusIcon className="size-4" />
              Add account
            </Button>
          </>
        }
      >
        <QueryStates
          query={accounts}
          loading="Loading accounts…"
          error={{ title: 'Could not load the accounts' }}
          empty={{
            when: (data) => data.items.length === 0,
            title: 'No accounts yet',
            body: 'Add one for each person who uses the console.',
          }}
        >
          {() => (
            <DataTable
              table={table}
              caption="Accounts: name and email, role, status, last sign-in and actions"
              rowHeaderColumnId="email"
              columnClasses={{ role: 'w-48', disabled: 'w-28', last_sign_in_at: 'w-40', actions: 'w-56 text-right' }}
              card={accountCardLayout}
              activeRowId={picked ?? null}
            />
          )}
        </QueryStates>
      </Panel>

      {adding ? (
        <AddAccountDialog
          onClose={() => setAdding(false)}
          onCreated={(email) => {
            setAdding(false);
            setAdded(email);
          }}
        />
      ) : null}
    </div>
  );
}
