import type { Connection } from '../../../../contracts/directory-schemas.ts';
import { ConnectionFailuresLink } from '../../../components/ui/connection-health-badge.tsx';
import { XCircleIcon } from '../../../components/ui/icons.tsx';

/**
 * What a dispatcher is told before sending into a connection whose recent writes all failed, or
 * null when there is nothing to tell. Only `failing` earns it: those writes will go on failing
 * until the fleet acts. A degraded connection is shown on its card but not warned about here:
 * Catena retries its writes, and a dispatcher who sends all day must not be nagged by it
 * (docs/decisions/0044-connection-health.md).
 */
export function failingConnectionWarning(connection: Connection | undefined): string | null {
  if (!connection || !connection.can_send || connection.health.state !== 'failing') return null;
  const count = connection.health.failed_in_a_row;
  return `${connection.name}: the last ${count} ${count === 1 ? 'write' : 'writes'} failed — the fleet must re-authorise the connection. Messages sent now will fail.`;
}

/**
 * The warning, next to Send and named as its description, so it is seen (and heard, on reaching
 * Send) before the message goes; sending stays possible, e.g. to check that the fleet has just
 * re-authorised it.
 */
export function FailingConnectionWarning({ id, connection, warning }: { id: string; connection: Connection; warning: string }) {
  return (
    <div
      id={id}
      className="flex w-full items-start gap-2 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-900 ring-1 ring-red-600/20 ring-inset dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/25"
    >
      <XCircleIcon className="mt-0.5 size-4 shrink-0" />
      <p>
        <span className="font-semibold">Writes to this connection are failing.</span> {warning}{' '}
        <ConnectionFailuresLink connection={connection} health={connection.health} />
      </p>
    </div>
  );
}
