import { useId, type Ref } from 'react';
import type { Connection } from '../../../../contracts/directory-schemas.ts';
import { ConnectionFailuresLink, ConnectionHealthBadge } from '../../../components/ui/connection-health-badge.tsx';
import { ConnectionStatusBadge } from '../../../components/ui/connection-status-badge.tsx';
import { PauseCircleIcon } from '../../../components/ui/icons.tsx';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import { describedBy, FieldError, hintClasses, labelClasses } from '../../../components/ui/form-field.tsx';

/**
 * The connection to send through, as a group of radio cards: each shows the fleet, its TSP and
 * its status, and one that cannot send says why. It can still be chosen (so the reason is read
 * where the dispatcher looks), but sending through it is blocked with that reason. One whose
 * recent writes failed or struggled says so in words, with a link to those failures; a healthy
 * one adds nothing, so the cards stay quiet when all is well.
 */
export function ConnectionField({
  connections,
  value,
  onChange,
  error,
  groupRef,
}: {
  connections: readonly Connection[];
  value: string | null;
  onChange: (connectionId: string) => void;
  error: string | undefined;
  /** The group, so the form can move focus to its chosen (or first) radio. */
  groupRef: Ref<HTMLDivElement>;
}) {
  const name = useId();
  const errorId = useId();
  const anyChecked = connections.some((connection) => connection.id === value);

  return (
    <div
      ref={groupRef}
      role="radiogroup"
      aria-labelledby={`${name}-label`}
      aria-describedby={describedBy(`${name}-hint`, error && errorId)}
      aria-invalid={error !== undefined || undefined}
    >
      <p id={`${name}-label`} className={labelClasses}>
        Connection
      </p>
      <p id={`${name}-hint`} className={`mt-1 ${hintClasses}`}>
        The fleet and the telematics provider (TSP) the message goes through.
      </p>
      <div className="mt-3 grid max-h-[26rem] gap-2 overflow-y-auto p-0.5 sm:grid-cols-2">
        {connections.map((connection, index) => {
          const checked = connection.id === value;
          const base = `${name}-${connection.id}`;
          // The radio that gets focus for an error reads it: the chosen one, or the first.
          const carriesError = error !== undefined && (checked || (!anyChecked && index === 0));
          // Paused already says why it cannot send; failing and degraded are the console's own word.
          const troubled = connection.can_send && (connection.health.state === 'failing' || connection.health.state === 'degraded');
          return (
            <div key={connection.id} className="flex flex-col">
              <label
                className={`relative flex cursor-pointer gap-3 rounded-lg p-3 ring-1 transition-colors ring-inset has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-brand-500 ${
                  checked
                    ? 'bg-brand-50/70 ring-2 ring-brand-600 dark:bg-brand-400/10 dark:ring-brand-400'
                    : 'bg-white ring-slate-200 hover:bg-slate-50 dark:bg-slate-950/40 dark:ring-slate-700 dark:hover:bg-slate-800/50'
                }`}
              >
                <input
                  type="radio"
                  name={name}
                  value={connection.id}
                  checked={checked}
                  onChange={() => onChange(connection.id)}
                  aria-labelledby={`${base}-name`}
                  aria-describedby={describedBy(`${base}-meta`, carriesError && errorId)}
                  className="mt-0.5 size-4 shrink-0 accent-brand-600"
                />
                <span className="min-w-0 flex-1">
                  <span id={`${base}-name`} className="block text-sm font-semibold text-slate-900 dark:text-slate-50">
                    {connection.name}
                  </span>
                  {/* The spaces keep the description readable ("Motive NWF-1042 Active"); flex ignores them. */}
                  <span id={`${base}-meta`} className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
                    <span>{tspDisplayName(connection.tsp)}</span>{' '}
                    {connection.fleet_ref ? <span className="font-mono text-slate-500 dark:text-slate-400">{connection.fleet_ref}</span> : null}{' '}
                    <ConnectionStatusBadge status={connection.status} />{' '}
                    {troubled ? (
                      <span className="flex w-full flex-col items-start gap-1">
                        <ConnectionHealthBadge health={connection.health} />{' '}
                        <span className={connection.health.state === 'failing' ? 'text-red-800 dark:text-red-300' : ''}>
                          {connection.health.reason}
                        </span>
                      </span>
                    ) : null}{' '}
                    {connection.can_send ? null : (
                      <span className="flex w-full items-start gap-1.5 text-amber-900 dark:text-amber-200">
                        <PauseCircleIcon className="mt-px size-3.5" />
                        <span>
                          <span className="font-semibold">Cannot send:</span> {connection.inactive_reason ?? `its status is ${connection.status}.`}
                        </span>
                      </span>
                    )}
                  </span>
                </span>
              </label>
              {troubled ? (
                <ConnectionFailuresLink
                  connection={connection}
                  health={connection.health}
                  className="mt-1 ml-10 self-start text-xs font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
                />
              ) : null}
            </div>
          );
        })}
      </div>
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}
