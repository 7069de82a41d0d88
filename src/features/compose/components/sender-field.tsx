import { useId, type Ref } from 'react';
import type { Connection, DirectoryUser } from '../../../../contracts/directory-schemas.ts';
import { describedBy, FieldError, hintClasses, inputClasses, labelClasses } from '../../../components/ui/form-field.tsx';

/** Who sends it: one of the connection's dispatchers (the last one used here is remembered). */
export function SenderField({
  connection,
  dispatchers,
  dispatchersError,
  value,
  onChange,
  error,
  selectRef,
}: {
  connection: Connection | undefined;
  dispatchers: readonly DirectoryUser[] | undefined;
  dispatchersError: string | null;
  value: string | null;
  onChange: (senderId: string) => void;
  error: string | undefined;
  selectRef: Ref<HTMLSelectElement>;
}) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const known = value !== null && dispatchers?.some((user) => user.id === value) === true;

  const hint = !connection
    ? 'Choose a connection first.'
    : dispatchersError
      ? `The dispatchers of ${connection.name} could not be loaded: ${dispatchersError}`
      : dispatchers === undefined
        ? `Loading the dispatchers of ${connection.name}…`
        : dispatchers.length === 0
          ? `${connection.name} has no dispatchers in Catena, and a message needs one as its sender.`
          : `A dispatcher of ${connection.name}. The one you choose is remembered on this device.`;

  return (
    <div>
      <label htmlFor={id} className={labelClasses}>
        Sender
      </label>
      <select
        ref={selectRef}
        id={id}
        value={known ? (value ?? '') : ''}
        onChange={(event) => onChange(event.target.value)}
        disabled={!connection || dispatchers === undefined || dispatchers.length === 0}
        aria-invalid={error !== undefined || undefined}
        aria-describedby={describedBy(hintId, error && errorId)}
        className={`${inputClasses} mt-1.5 sm:max-w-sm`}
      >
        <option value="" disabled>
          {connection ? 'Choose a dispatcher' : '—'}
        </option>
        {dispatchers?.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name}
            {user.is_active ? '' : ' (inactive)'}
          </option>
        ))}
      </select>
      <p id={hintId} className={`mt-1.5 ${hintClasses}`}>
        {hint}
      </p>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}
