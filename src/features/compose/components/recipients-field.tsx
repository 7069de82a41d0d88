import { useId, type Ref } from 'react';
import type { Connection, DirectoryUser } from '../../../../contracts/directory-schemas.ts';
import { Button } from '../../../components/ui/button.tsx';
import { XIcon } from '../../../components/ui/icons.tsx';
import type { Recipients } from '../compose-validation.ts';
import { DriverCombobox } from './driver-combobox.tsx';
import { describedBy, FieldError, hintClasses, labelClasses } from '../../../components/ui/form-field.tsx';

/**
 * Who receives the message: one driver, several, or every active driver of the connection.
 * One driver is a single message; more is a broadcast (one message each), tracked on its page.
 */
export function RecipientsField({
  connection,
  drivers,
  driversError,
  recipients,
  recipientIds,
  onRecipientIdsChange,
  allDrivers,
  onAllDriversChange,
  error,
  onRetry,
  inputRef,
}: {
  connection: Connection | undefined;
  /** The connection's drivers; undefined while they load. */
  drivers: readonly DirectoryUser[] | undefined;
  driversError: string | null;
  recipients: Recipients;
  recipientIds: readonly string[];
  onRecipientIdsChange: (ids: string[]) => void;
  allDrivers: boolean;
  onAllDriversChange: (all: boolean) => void;
  error: string | undefined;
  onRetry: () => void;
  /** The control the form focuses for an error here (the text box, or the "all drivers" box). */
  inputRef: Ref<HTMLInputElement>;
}) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const allId = useId();
  const activeDrivers = drivers?.filter((driver) => driver.is_active).length;
  const inactiveDrivers = drivers ? drivers.length - (activeDrivers ?? 0) : 0;
  const errorIdIfAny = error ? errorId : undefined;

  const toggle = (driver: DirectoryUser) =>
    onRecipientIdsChange(recipientIds.includes(driver.id) ? recipientIds.filter((id) => id !== driver.id) : [...recipientIds, driver.id]);

  return (
    <fieldset>
      <legend className={labelClasses}>Recipients</legend>
      <p id={hintId} className={`mt-1 ${hintClasses}`}>
        {connection
          ? 'One driver gets a single message; several drivers, or all of them, get one each as a broadcast.'
          : 'Choose a connection first: drivers belong to it.'}
      </p>

      {connection && driversError ? (
        <div role="alert" className="mt-3 flex flex-wrap items-center gap-3 text-sm text-red-700 dark:text-red-400">
          <span>
            Could not load the drivers of {connection.name}: {driversError}
          </span>
          <Button size="sm" onClick={onRetry}>
            Try again
          </Button>
        </div>
      ) : null}

      <div className="mt-3 space-y-3">
        <div className="flex items-start gap-2.5">
          <input
            ref={allDrivers ? inputRef : undefined}
            id={allId}
            type="checkbox"
            checked={allDrivers}
            disabled={!connection}
            onChange={(event) => onAllDriversChange(event.target.checked)}
            aria-describedby={describedBy(`${allId}-hint`, allDrivers && errorIdIfAny)}
            aria-invalid={(allDrivers && error !== undefined) || undefined}
            className="mt-0.5 size-4 rounded border-slate-300 accent-brand-600 disabled:cursor-not-allowed dark:border-slate-600"
          />
          <div className="text-sm">
            <label htmlFor={allId} className="font-medium text-slate-900 dark:text-slate-100">
              {connection ? `All drivers of ${connection.name}` : 'All drivers of the connection'}
            </label>
            <p id={`${allId}-hint`} className="text-slate-600 dark:text-slate-400">
              {activeDrivers === undefined
                ? connection
                  ? 'Counting drivers…'
                  : 'Every active driver, sent as one broadcast.'
                : `${activeDrivers} active ${activeDrivers === 1 ? 'driver' : 'drivers'}${inactiveDrivers > 0 ? `; ${inactiveDrivers} inactive left out` : ''}.`}
            </p>
          </div>
        </div>

        {allDrivers ? null : (
          <div>
            <label htmlFor={inputId} className={labelClasses}>
              Find a driver by name
            </label>
            <div className="mt-1.5">
              <DriverCombobox
                id={inputId}
                inputRef={inputRef}
                drivers={drivers ?? []}
                chosenIds={recipientIds}
                onToggle={toggle}
                disabled={!connection || drivers === undefined}
                invalid={error !== undefined}
                describedBy={describedBy(hintId, errorIdIfAny)}
              />
            </div>
            {recipients.kind === 'chosen' && recipients.chosen.length > 0 ? (
              <ul aria-label="Chosen drivers" className="mt-3 flex flex-wrap gap-2">
                {recipients.chosen.map((driver) => (
                  <li
                    key={driver.id}
                    className={`inline-flex items-center gap-1 rounded-full py-0.5 pr-1 pl-3 text-sm ring-1 ring-inset ${
                      driver.is_active
                        ? 'bg-slate-100 text-slate-800 ring-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700'
                        : 'bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25'
                    }`}
                  >
                    {driver.name}
                    {driver.is_active ? null : <span className="text-xs font-medium">(inactive)</span>}
                    <button
                      type="button"
                      aria-label={`Remove ${driver.name}`}
                      title={`Remove ${driver.name}`}
                      onClick={() => toggle(driver)}
                      className="grid size-6 place-items-center rounded-full text-slate-500 hover:bg-slate-200 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-700 dark:hover:text-white"
                    >
                      <XIcon className="size-3.5" />
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        )}
      </div>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </fieldset>
  );
}
