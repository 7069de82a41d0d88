import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { Personal } from '../../../components/ui/personal.tsx';
import type { Account } from '../../../../contracts/access-schemas.ts';
import { BanIcon } from '../../../components/ui/access-icons.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { CheckCircleIcon } from '../../../components/ui/icons.tsx';
import { Timestamp } from '../../../components/ui/timestamp.tsx';
import { useNow } from '../../../lib/use-now.ts';
import { useSessionUser } from '../../../lib/use-session.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { AccountActions } from './account-actions.tsx';
import { RoleSelect } from './role-select.tsx';

export const accountTableFeatures = tableFeatures({});
const column = createColumnHelper<typeof accountTableFeatures, Account>();

export const accountColumns = column.columns([
  column.accessor('email', {
    header: 'Account',
    cell: ({ row }) => <AccountName account={row.original} />,
  }),
  column.accessor('role', {
    header: 'Role',
    cell: ({ row }) => <RoleSelect account={row.original} />,
  }),
  column.accessor('disabled', {
    header: 'Status',
    cell: ({ getValue }) =>
      getValue() ? (
        <Badge tone="neutral" icon={BanIcon}>
          Disabled
        </Badge>
      ) : (
        <Badge tone="success" icon={CheckCircleIcon}>
          Active
        </Badge>
      ),
  }),
  column.accessor('last_sign_in_at', {
    header: 'Last sign-in',
    cell: ({ getValue }) => <LastSignIn value={getValue()} />,
  }),
  column.display({
    id: 'actions',
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row }) => <AccountActions account={row.original} />,
  }),
]);

function AccountName({ account }: { account: Account }) {
  const me = useSessionUser();
  return (
    <div className="min-w-48">
      <div className="flex items-center gap-2 font-medium text-slate-900 dark:text-slate-50">
        <span className="truncate">{account.name}</span>
        {me?.id === account.id ? (
          <span className="rounded-full bg-brand-50 px-1.5 py-px text-[11px] font-semibold text-brand-800 ring-1 ring-brand-600/20 ring-inset dark:bg-brand-400/10 dark:text-brand-200 dark:ring-brand-400/25">
            you
          </span>
        ) : null}
      </div>
      <div className="mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">
        <Personal kind="email">{account.email}</Personal>
      </div>
    </div>
  );
}

function LastSignIn({ value }: { value: string | null }) {
  const display = useTimeDisplay();
  const now = useNow(30_000);
  if (!value) return <span className="text-slate-500 dark:text-slate-400">Never</span>;
  return (
    <span className="whitespace-nowrap text-slate-700 dark:text-slate-300">
      <Timestamp value={value} display={display} now={now} />
    </span>
  );
}

/** A card on a small screen: the account, then its role, status, last sign-in, and what can be done with it. */
export const accountCardLayout: CardLayout = {
  fields: ['role', 'disabled', 'last_sign_in_at', 'actions'],
  wide: ['role', 'actions'],
  labels: { actions: 'Actions' },
};
