import { infiniteQueryOptions, keepPreviousData, mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { accountListSchema, accountSchema, auditPageSchema, type Account, type Role } from '../../../../contracts/access-schemas.ts';
import { apiGet, apiRequest } from '../../../lib/api-client.ts';
import { sessionQueries } from '../../../lib/session-queries.ts';

/**
 * Server state of the admin pages (house style #4): the accounts, the audit log (cursor pages,
 * newest first) and the changes an admin makes. Every change refreshes the accounts, the audit
 * log (it gained an entry) and the session (an admin may have changed their own role).
 */

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilters = { action: string | undefined };

export const accountQueries = {
  all: () => ['accounts'] as const,
  list: () =>
    queryOptions({
      queryKey: [...accountQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => apiGet('/api/accounts', accountListSchema, { signal }),
    }),
};

export const auditQueries = {
  all: () => ['audit'] as const,
  list: (filters: AuditFilters) =>
    infiniteQueryOptions({
      queryKey: [...auditQueries.all(), 'list', filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiGet('/api/audit', auditPageSchema, {
          query: { action: filters.action, cursor: pageParam, limit: AUDIT_PAGE_SIZE },
          signal,
        }),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor ?? undefined,
      // Another filter's entries stay on screen, dimmed, until the new ones arrive (house style #6).
      placeholderData: keepPreviousData,
    }),
};

export type CreateAccountVariables = { email: string; name: string; role: Role; password: string };
export type AccountChange = { role?: Role; disabled?: boolean; name?: string; password?: string };
export type UpdateAccountVariables = { id: string; change: AccountChange };

function refreshAfterChange(client: QueryClient): void {
  // Not awaited: the answer is known now; the lists may take a moment.
  void client.invalidateQueries({ queryKey: accountQueries.all() });
  void client.invalidateQueries({ queryKey: auditQueries.all() });
}

export const accountMutations = {
  create: () =>
    mutationOptions({
      mutationKey: [...accountQueries.all(), 'create'] as const,
      mutationFn: (account: CreateAccountVariables): Promise<Account> =>
        apiRequest('/api/accounts', accountSchema, { method: 'POST', json: account }),
      onSuccess: (_created, _variables, _onMutateResult, { client }) => refreshAfterChange(client),
    }),

  update: () =>
    mutationOptions({
      mutationKey: [...accountQueries.all(), 'update'] as const,
      mutationFn: ({ id, change }: UpdateAccountVariables): Promise<Account> =>
        apiRequest(`/api/accounts/${encodeURIComponent(id)}`, accountSchema, { method: 'PATCH', json: change }),
      onSuccess: (updated, _variables, _onMutateResult, { client }) => {
        client.setQueryData(accountQueries.list().queryKey, (list) =>
          list ? { items: list.items.map((account) => (account.id === updated.id ? updated : account)) } : list,
        );
        refreshAfterChange(client);
        void client.invalidateQueries({ queryKey: sessionQueries.all() });
      },
    }),
};

/** The 409 the server answers when a change would leave no active admin. */
export const LAST_ADMIN_CODE = 'last_admin';
