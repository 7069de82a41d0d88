import { useState, type Ref } from 'react';
import { PASSWORD_MIN_LENGTH } from '../../../../contracts/access-schemas.ts';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { TextField } from '../../../components/ui/form-field.tsx';
import { suggestPassword } from '../suggest-password.ts';

/**
 * A new password for someone else: shown or hidden, with a strong suggestion one click away.
 * A suggested password is shown, so the admin can copy it and hand it over.
 */
export function NewPasswordField({
  id,
  label,
  value,
  onChange,
  error,
  inputRef,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [shown, setShown] = useState(false);
  return (
    <div>
      <TextField
        id={id}
        inputRef={inputRef}
        label={label}
        type={shown ? 'text' : 'password'}
        autoComplete="new-password"
        spellCheck={false}
        required
        minLength={PASSWORD_MIN_LENGTH}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        error={error}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. Hand it over in person or through a password manager.`}
        trailing={
          <button
            type="button"
            aria-pressed={shown}
            onClick={() => setShown((current) => !current)}
            className={`${buttonClasses({ variant: 'ghost', size: 'sm' })} h-7 text-xs`}
          >
            Show
            <span className="sr-only"> password</span>
          </button>
        }
      />
      <button
        type="button"
        onClick={() => {
          onChange(suggestPassword());
          setShown(true);
        }}
        className="mt-1.5 text-sm font-medium text-brand-700 hover:underline dark:text-brand-300"
      >
        Suggest a strong password
      </button>
    </div>
  );
}
