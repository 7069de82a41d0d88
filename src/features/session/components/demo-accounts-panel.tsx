import { useId } from 'react';
import { roles, type Role } from '../../../../contracts/access-schemas.ts';
import { ShieldCheckIcon } from '../../../components/ui/icons.tsx';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { roleLabels, roleSummaries } from '../../../lib/roles.ts';
import { Personal } from '../../../components/ui/personal.tsx';

type DemoAccount = { email: string; password: string; role: Role };

/**
 * With the Catena simulator as upstream, the console makes one demo account per role and the
 * server offers them here, so a demo can show what each role sees. "Use" fills in the form.
 */
export function DemoAccountsPanel({ accounts, onUse }: { accounts: DemoAccount[]; onUse: (account: DemoAccount) => void }) {
  const headingId = useId();
  // Most rights first, as the roles are listed in the contract.
  const sorted = accounts.toSorted((a, b) => roles.indexOf(a.role) - roles.indexOf(b.role));

  return (
    <section
      aria-labelledby={headingId}
      className="rounded-2xl border border-brand-200 bg-brand-50/60 p-6 sm:p-8 dark:border-brand-400/20 dark:bg-brand-400/5"
    >
      <div className="flex items-start gap-3">
        <span className="grid size-9 shrink-0 place-items-center rounded-lg bg-white text-brand-700 ring-1 ring-brand-200 dark:bg-slate-900 dark:text-brand-300 dark:ring-brand-400/25">
          <ShieldCheckIcon className="size-5" />
        </span>
        <div>
          <h2 id={headingId} className="text-base font-semibold text-slate-900 dark:text-white">
            Demo accounts
          </h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            This console runs against the Catena simulator, so there is a demo account for every role. Pick one to fill in the form.
          </p>
        </div>
      </div>

      <ul className="mt-5 divide-y divide-brand-100 overflow-hidden rounded-xl bg-white ring-1 ring-brand-100 dark:divide-slate-800 dark:bg-slate-900 dark:ring-slate-800">
        {sorted.map((account) => (
          <li key={account.email} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
            <div className="min-w-0 flex-1">
              <p className="text-sm font-semibold text-slate-900 dark:text-slate-50">{roleLabels[account.role]}</p>
              <p className="text-xs text-slate-600 dark:text-slate-400">{roleSummaries[account.role]}</p>
              <dl className="mt-1.5 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs">
                <dt className="text-slate-500 dark:text-slate-400">Email</dt>
                <dd className="truncate font-mono text-slate-800 dark:text-slate-200">
                  <Personal kind="email">{account.email}</Personal>
                </dd>
                <dt className="text-slate-500 dark:text-slate-400">Password</dt>
                <dd className="truncate font-mono text-slate-800 dark:text-slate-200">{account.password}</dd>
              </dl>
            </div>
            <button
              type="button"
              onClick={() => onUse(account)}
              aria-label={`Use the ${roleLabels[account.role].toLowerCase()} demo account`}
              className={buttonClasses({ variant: 'secondary', size: 'sm' })}
            >
              Use
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
