import { useMutation, useQueryClient } from '@tanstack/react-query';
import { usePersonal } from '../../../components/ui/personal.tsx';
import { useNavigate } from '@tanstack/react-router';
import type { SessionUser } from '../../../../contracts/access-schemas.ts';
import { LogOutIcon } from '../../../components/ui/access-icons.tsx';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { roleLabels } from '../../../lib/roles.ts';
import { sessionMutations } from '../api/sign-in-queries.ts';

/**
 * The header's "who am I": name and role in words, and "Sign out". Signing out ends the session
 * on the server first; only then does the console forget every cached answer (the next person at
 * this browser sees nothing of this one's) and leave for the sign-in page.
 */
export function SignedInUser({ user }: { user: SessionUser }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation(sessionMutations.signOut());
  const personal = usePersonal();
  const initials = user.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');

  return (
    <div className="flex items-center gap-2">
      <div className="flex min-w-0 items-center gap-2.5" title={personal('email', user.email)}>
        <span
          aria-hidden="true"
          className="grid size-8 shrink-0 place-items-center rounded-full bg-brand-100 text-xs font-semibold text-brand-800 dark:bg-brand-400/15 dark:text-brand-200"
        >
          {initials || '?'}
        </span>
        <p className="hidden min-w-0 leading-tight sm:block">
          <span className="sr-only">Signed in as </span>
          <span className="block max-w-40 truncate text-sm font-medium text-slate-900 dark:text-slate-100">{user.name}</span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">
            <span className="sr-only">, role </span>
            {roleLabels[user.role]}
          </span>
        </p>
        <p className="sr-only sm:hidden">
          Signed in as {user.name}, role {roleLabels[user.role]}
        </p>
      </div>
      <button
        type="button"
        aria-disabled={signOut.isPending}
        title={signOut.isError ? `Could not sign out: ${errorMessage(signOut.error)}` : undefined}
        onClick={() => {
          if (signOut.isPending) return;
          signOut.mutate(undefined, {
            onSuccess: () => {
              queryClient.clear();
              void navigate({ to: '/sign-in', search: {} });
            },
          });
        }}
        className={`${buttonClasses({ variant: 'ghost', size: 'sm' })} ${signOut.isPending ? 'cursor-wait opacity-70' : ''}`}
      >
        <LogOutIcon className="size-4" />
        <span className="sr-only lg:not-sr-only">{signOut.isPending ? 'Signing out…' : 'Sign out'}</span>
      </button>
      <span role="status" className="sr-only">
        {signOut.isError ? `Could not sign out: ${errorMessage(signOut.error)}` : ''}
      </span>
    </div>
  );
}
