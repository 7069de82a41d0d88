import { useId, type Ref } from 'react';
import type { Connection } from '../../../../contracts/directory-schemas.ts';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import { formatCount, textLimit } from '../compose-validation.ts';
import { describedBy, FieldError, inputClasses, labelClasses } from '../../../components/ui/form-field.tsx';

/**
 * The text, with a live count against the limit of the connection's TSP (or the console's own,
 * when the TSP's is not known). Going over is allowed while typing, never cut off: the count
 * says by how much, and sending is refused until it fits.
 */
export function MessageField({
  connection,
  value,
  onChange,
  error,
  textareaRef,
}: {
  connection: Connection | undefined;
  value: string;
  onChange: (text: string) => void;
  error: string | undefined;
  textareaRef: Ref<HTMLTextAreaElement>;
}) {
  const id = useId();
  const countId = useId();
  const errorId = useId();
  const limit = textLimit(connection);
  const length = value.length;
  const over = length - limit.max;
  const whose = limit.byTsp && connection ? `${tspDisplayName(connection.tsp)}’s limit` : 'the console’s limit';

  return (
    <div>
      <label htmlFor={id} className={labelClasses}>
        Message
      </label>
      <textarea
        ref={textareaRef}
        id={id}
        rows={5}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error !== undefined || undefined}
        aria-describedby={describedBy(countId, error && errorId)}
        placeholder="Write the message the driver will read on their device"
        className={`${inputClasses} mt-1.5 resize-y leading-relaxed`}
      />
      <div className="mt-1.5 flex flex-wrap items-center justify-between gap-2 text-xs">
        <span className="text-slate-500 dark:text-slate-400">Kept on this device until it is sent.</span>
        <span
          id={countId}
          className={`tabular-nums ${over > 0 ? 'font-semibold text-red-700 dark:text-red-400' : 'text-slate-600 dark:text-slate-400'}`}
        >
          {over > 0
            ? `${formatCount(length)} / ${formatCount(limit.max)} characters: ${formatCount(over)} over ${whose}`
            : `${formatCount(length)} / ${formatCount(limit.max)} characters (${whose})`}
        </span>
      </div>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}
