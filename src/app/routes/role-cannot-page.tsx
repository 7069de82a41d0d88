import { Link } from '@tanstack/react-router';
import type { Role } from '../../../contracts/access-schemas.ts';
import { LockIcon } from '../../components/ui/access-icons.tsx';
import { buttonClasses } from '../../components/ui/button.tsx';
import { roleLabels, roleSummaries } from '../../lib/roles.ts';

/**
 * Shown instead of a page the signed-in role may not use (a viewer who types /compose): what
 * is missing, and what to do about it. The server refuses those requests anyway; this says so
 * before anyone fills in a form for nothing.
 */
export function RoleCannotPage({ role, doing }: { role: Role; doing: string }) {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <span className="mx-auto grid size-11 place-items-center rounded-full bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300">
        <LockIcon className="size-5" />
      </span>
      <h1 className="mt-4 text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">
        Your role ({role}) cannot {doing}
      </h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        {roleLabels[role]}: {roleSummaries[role].toLowerCase()}. If your work needs more, ask an admin of this console to change your role.
      </p>
      <Link to="/" className={`${buttonClasses({ variant: 'primary' })} mt-6`}>
        Go to Overview
      </Link>
    </div>
  );
}
