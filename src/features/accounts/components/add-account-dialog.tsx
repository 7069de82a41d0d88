import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { createAccountRequestSchema, roles, roleSchema, type Role } from '../../../../contracts/access-schemas.ts';
import { Dialog, DialogFormActions } from '../../../components/ui/dialog.tsx';
import { FieldError, FormMessage, Select, TextField, describedBy, labelClasses } from '../../../components/ui/form-field.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { roleLabels, roleSummaries } from '../../../lib/roles.ts';
import { accountMutations } from '../api/account-queries.ts';
import { NewPasswordField } from './password-field.tsx';

type Field = 'email' | 'name' | 'role' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

function isField(value: unknown): value is Field {
  return value === 'email' || value === 'name' || value === 'role' || value === 'password';
}

/** The field a server error belongs to (`details.field`), when it names one. */
function errorField(error: unknown): Field | null {
  if (!isApiError(error) || typeof error.details !== 'object' || error.details === null) return null;
  const field = 'field' in error.details ? error.details.field : undefined;
  return isField(field) ? field : null;
}

/**
 * "Add account": name, email, role and a first password, checked with the same schema the
 * server uses. An email that has an account already is shown on the email field.
 */
export function AddAccountDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (email: string) => void }) {
  const create = useMutation(accountMutations.create());
  const [values, setValues] = useState<{ name: string; email: string; role: Role; password: string }>({
    name: '',
    email: '',
    role: 'viewer',
    password: '',
  });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const formId = useId();
  const titleId = useId();
  const descriptionId = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const roleRef = useRef<HTMLSelectElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const focusField = (field: Field) => {
    const refs = { name: nameRef, email: emailRef, role: roleRef, password: passwordRef };
    refs[field].current?.focus();
  };

  const set = <K extends Field>(field: K, value: (typeof values)[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
  };

  // A server refusal that names a field shows there; anything else above the form.
  const serverField = create.isError ? errorField(create.error) : null;
  const errors: FieldErrors = serverField ? { ...fieldErrors, [serverField]: errorMessage(create.error) } : fieldErrors;

  return (
    <Dialog labelledBy={titleId} describedBy={descriptionId} onClose={onClose} initialFocusRef={nameRef}>
      <h2 id={titleId} className="text-base font-semibold text-slate-900 dark:text-slate-50">
        Add account
      </h2>
      <p id={descriptionId} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        The person signs in with this email and password. Their role decides what they can do.
      </p>
      <form
        id={formId}
        noValidate
        className="mt-5 space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (create.isPending) return;
          const parsed = createAccountRequestSchema.safeParse(values);
          if (!parsed.success) {
            const next: FieldErrors = {};
            for (const issue of parsed.error.issues) {
              const field = issue.path[0];
              if (isField(field) && !next[field]) next[field] = issue.message;
            }
            setFieldErrors(next);
            create.reset();
            const first = (['name', 'email', 'role', 'password'] as const).find((field) => next[field]);
            if (first) focusField(first);
            return;
          }
          setFieldErrors({});
          create.mutate(parsed.data, {
            onSuccess: (account) => onCreated(account.email),
            onError: (error) => {
              const field = errorField(error);
              if (field) focusField(field);
            },
          });
        }}
      >
        {create.isError && !serverField ? (
          <FormMessage tone="error" title="The account was not added.">
            {errorMessage(create.error)}
          </FormMessage>
        ) : null}
        <TextField
          id={`${formId}-name`}
          inputRef={nameRef}
          label="Name"
          autoComplete="off"
          required
          value={values.name}
          onChange={(event) => set('name', event.target.value)}
          error={errors.name}
        />
        <TextField
          id={`${formId}-email`}
          inputRef={emailRef}
          label="Email"
          type="email"
          autoComplete="off"
          spellCheck={false}
          required
          value={values.email}
          onChange={(event) => {
            set('email', event.target.value);
            if (serverField === 'email') create.reset();
          }}
          error={errors.email}
        />
        <div>
          <label htmlFor={`${formId}-role`} className={labelClasses}>
            Role
          </label>
          <Select
            ref={roleRef}
            id={`${formId}-role`}
            className="mt-1.5"
            value={values.role}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={describedBy(`${formId}-role-hint`, errors.role && `${formId}-role-error`)}
            onChange={(event) => {
              const parsed = roleSchema.safeParse(event.target.value);
              if (parsed.success) set('role', parsed.data);
            }}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {roleLabels[role]}
              </option>
            ))}
          </Select>
          <p id={`${formId}-role-hint`} className="mt-1.5 text-sm text-slate-600 dark:text-slate-400">
            {roleSummaries[values.role]}.
          </p>
          {errors.role ? <FieldError id={`${formId}-role-error`}>{errors.role}</FieldError> : null}
        </div>
        <NewPasswordField
          id={`${formId}-password`}
          inputRef={passwordRef}
          label="Password"
          value={values.password}
          onChange={(value) => set('password', value)}
          error={errors.password}
        />
        <DialogFormActions onCancel={onClose} pending={create.isPending} submitLabel="Add account" pendingLabel="Adding…" />
      </form>
    </Dialog>
  );
}
