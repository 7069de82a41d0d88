import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { Account } from '../../../../contracts/access-schemas.ts';
import { BanIcon, KeyRoundIcon } from '../../../components/ui/access-icons.tsx';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { CheckCircleIcon } from '../../../components/ui/icons.tsx';
import { useSessionUser } from '../../../lib/use-session.ts';
import { accountMutations } from '../api/account-queries.ts';
import { AccountChangeError } from './account-change-error.tsx';
import { ResetPasswordDialog } from './reset-password-dialog.tsx';
import { Personal, usePersonal } from '../../../components/ui/personal.tsx';

/** A row's actions: disable or enable the account (after asking), and set a new password. */
export function AccountActions({ account }: { account: Account }) {
  const [open, setOpen] = useState<'status' | 'password' | null>(null);
  const personal = usePersonal();
  return (
    <div className="flex items-center justify-end gap-1.5 whitespace-nowrap">
      <Button size="sm" variant="ghost" onClick={() => setOpen('password')} aria-label={`Reset password for ${personal('email', account.email)}`}>
        <KeyRoundIcon className="size-4" />
        <span aria-hidden="true" className="hidden xl:inline">
          Reset password
        </span>
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => setOpen('status')}
        aria-label={`${account.disabled ? 'Enable' : 'Disable'} ${personal('email', account.email)}`}
      >
        {account.disabled ? <CheckCircleIcon className="size-4" /> : <BanIcon className="size-4" />}
        <span aria-hidden="true">{account.disabled ? 'Enable' : 'Disable'}</span>
      </Button>
      {open === 'status' ? <AccountStatusDialog account={account} onClose={() => setOpen(null)} /> : null}
      {open === 'password' ? <ResetPasswordDialog account={account} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

/**
 * "Disable dana@…?": says what it means before it happens. A refusal (the last active admin)
 * keeps the dialog open with the server's reason.
 */
function AccountStatusDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const me = useSessionUser();
  const update = useMutation(accountMutations.update());
  const titleId = useId();
  const descriptionId = useId();
  const errorId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const disabling = !account.disabled;
  const yourself = me?.id === account.id;

  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onClose} initialFocusRef={cancelRef}>
      <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
        {disabling ? 'Disable' : 'Enable'} <Personal kind="email">{account.email}</Personal>?
      </h2>
      <p id={descriptionId} className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        {disabling
          ? `${yourself ? 'You are' : `${account.name} is`} signed out at once and cannot sign in until an admin enables the account again. What ${yourself ? 'you' : 'they'} did stays in the audit log.`
          : `${account.name} can sign in again with their password, as ${account.role}.`}
      </p>
      {update.isError ? <AccountChangeError id={errorId} error={update.error} /> : null}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={cancelRef} type="button" onClick={onClose} className={buttonClasses({ variant: 'secondary' })}>
          Cancel
        </button>
        <button
          type="button"
          aria-disabled={update.isPending}
          onClick={() => {
            if (update.isPending) return;
            update.mutate({ id: account.id, change: { disabled: disabling } }, { onSuccess: onClose });
          }}
          className={`${buttonClasses({ variant: 'primary' })} ${update.isPending ? 'cursor-wait opacity-70' : ''}`}
        >
          {update.isPending
            ? disabling
              ? 'Disabling…'
              : 'Enabling…'
            : update.isError
              ? 'Try again'
              : disabling
                ? 'Disable account'
                : 'Enable account'}
        </button>
      </div>
    </ConfirmDialog>
  );
}
