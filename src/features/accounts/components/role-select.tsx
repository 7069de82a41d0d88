import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { can, roles, roleSchema, type Account, type Role } from '../../../../contracts/access-schemas.ts';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { Select } from '../../../components/ui/form-field.tsx';
import { roleLabels, roleSummaries } from '../../../lib/roles.ts';
import { useSessionUser } from '../../../lib/use-session.ts';
import { accountMutations } from '../api/account-queries.ts';
import { AccountChangeError } from './account-change-error.tsx';
import { Personal } from '../../../components/ui/personal.tsx';

/**
 * An account's role, changed by picking another, always after a confirmation: a select is easy
 * to change by accident (a scroll wheel, a stray arrow key) and the change signs the person out.
 * Someone else's names the person and the old and new role; your own says it signs you out and
 * may take away this page. The server refuses to demote the last active admin, and its answer
 * shows under the select.
 */
export function RoleSelect({ account }: { account: Account }) {
  const me = useSessionUser();
  const update = useMutation(accountMutations.update());
  const [confirming, setConfirming] = useState<Role | null>(null);
  const selectId = useId();
  const errorId = useId();
  const pendingRole = update.isPending ? update.variables.change.role : undefined;

  const change = (role: Role) => update.mutate({ id: account.id, change: { role } });

  return (
    <div className="min-w-40">
      <label htmlFor={selectId} className="sr-only">
        Role of <Personal kind="email">{account.email}</Personal>
      </label>
      <Select
        id={selectId}
        value={pendingRole ?? account.role}
        disabled={update.isPending}
        aria-invalid={update.isError || undefined}
        aria-describedby={update.isError ? errorId : undefined}
        onChange={(event) => {
          const parsed = roleSchema.safeParse(event.target.value);
          if (!parsed.success || parsed.data === account.role) return;
          const role = parsed.data;
          setConfirming(role);
        }}
        className="w-40"
      >
        {roles.map((role) => (
          <option key={role} value={role}>
            {roleLabels[role]}
          </option>
        ))}
      </Select>
      {update.isError ? <AccountChangeError id={errorId} error={update.error} onDismiss={() => update.reset()} /> : null}
      {confirming && me?.id !== account.id ? (
        <OtherRoleDialog
          account={account}
          role={confirming}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            change(confirming);
          }}
        />
      ) : null}
      {confirming && me?.id === account.id ? (
        <OwnRoleDialog
          role={confirming}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            change(confirming);
          }}
        />
      ) : null}
    </div>
  );
}

function OwnRoleDialog({ role, onCancel, onConfirm }: { role: Role; onCancel: () => void; onConfirm: () => void }) {
  const titleId = useId();
  const descriptionId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const losesAdmin = !can(role, 'admin');
  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onCancel} initialFocusRef={cancelRef}>
      <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
        Make yourself {roleLabels[role].toLowerCase()}?
      </h2>
      <div id={descriptionId} className="mt-2 space-y-2 text-sm text-slate-600 dark:text-slate-300">
        <p>
          A {roleLabels[role].toLowerCase()} can: {roleSummaries[role].toLowerCase()}. You will be signed out and sign in again with the new role.
        </p>
        {losesAdmin ? <p>You will no longer see accounts or the audit log; only another admin can undo this.</p> : null}
      </div>
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={cancelRef} type="button" onClick={onCancel} className={buttonClasses({ variant: 'secondary' })}>
          Cancel
        </button>
        <button type="button" onClick={onConfirm} className={buttonClasses({ variant: 'primary' })}>
          Change my role
        </button>
      </div>
    </ConfirmDialog>
  );
}

function OtherRoleDialog({ account, role, onCancel, onConfirm }: { account: Account; role: Role; onCancel: () => void; onConfirm: () => void }) {
  const titleId = useId();
  const descriptionId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const from = roleLabels[account.role].toLowerCase();
  const to = roleLabels[role].toLowerCase();
  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onCancel} initialFocusRef={cancelRef}>
      <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
        Change {account.name} from {from} to {to}?
      </h2>
      <div id={descriptionId} className="mt-2 space-y-2 text-sm text-slate-600 dark:text-slate-300">
        <p>
          {account.name} (<Personal kind="email">{account.email}</Personal>) is {from === 'admin' ? 'an' : 'a'} {from} now. A {to} can:{' '}
          {roleSummaries[role].toLowerCase()}.
        </p>
        <p>They will be signed out and sign in again with the new role.</p>
      </div>
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={cancelRef} type="button" onClick={onCancel} className={buttonClasses({ variant: 'secondary' })}>
          Cancel
        </button>
        <button type="button" onClick={onConfirm} className={buttonClasses({ variant: 'primary' })}>
          Make {account.name} {to}
        </button>
      </div>
    </ConfirmDialog>
  );
}
