import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { updateAccountRequestSchema, type Account } from '../../../../contracts/access-schemas.ts';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { Dialog, DialogFormActions } from '../../../components/ui/dialog.tsx';
import { FormMessage } from '../../../components/ui/form-field.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { accountMutations } from '../api/account-queries.ts';
import { NewPasswordField } from './password-field.tsx';
import { Personal, usePersonal } from '../../../components/ui/personal.tsx';

/**
 * Sets a new password for an account (someone forgot theirs, or it leaked). The server ends the
 * account's sessions, so whoever had the old password is out at once.
 */
export function ResetPasswordDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const personal = usePersonal();
  const update = useMutation(accountMutations.update());
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const titleId = useId();
  const descriptionId = useId();
  const fieldId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  if (update.isSuccess) {
    return (
      <Dialog labelledBy={titleId} onClose={onClose} initialFocusRef={closeRef}>
        <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
          New password set
        </h2>
        <div className="mt-3">
          <FormMessage tone="success" title={`${personal('email', account.email)} has a new password.`}>
            Their sessions have ended: they sign in again with the new password.
          </FormMessage>
        </div>
        <div className="mt-5 flex justify-end">
          <button ref={closeRef} type="button" onClick={onClose} className={buttonClasses({ variant: 'primary' })}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog labelledBy={titleId} describedBy={descriptionId} onClose={onClose} initialFocusRef={inputRef}>
      <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
        Reset the password of {account.name}
      </h2>
      <p id={descriptionId} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        <Personal kind="email">{account.email}</Personal> is signed out everywhere and signs in again with the new password.
      </p>
      <form
        noValidate
        className="mt-5 space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (update.isPending) return;
          const parsed = updateAccountRequestSchema.safeParse({ password });
          if (!parsed.success) {
            setFieldError(parsed.error.issues[0]?.message ?? 'Enter a new password.');
            inputRef.current?.focus();
            return;
          }
          setFieldError(undefined);
          update.mutate({ id: account.id, change: { password } });
        }}
      >
        {update.isError ? (
          <FormMessage tone="error" title="The password was not changed.">
            {errorMessage(update.error)}
          </FormMessage>
        ) : null}
        <NewPasswordField id={fieldId} inputRef={inputRef} label="New password" value={password} onChange={setPassword} error={fieldError} />
        <DialogFormActions onCancel={onClose} pending={update.isPending} submitLabel="Set new password" pendingLabel="Setting…" />
      </form>
    </Dialog>
  );
}
