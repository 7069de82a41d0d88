import { Link } from '@tanstack/react-router';
import type { ConnectionHealth, ConnectionHealthState } from '../../../contracts/directory-schemas.ts';
import { formatLocal } from '../../lib/format.ts';
import { StatusBadge, type StatusLook } from './badge.tsx';
import { AlertTriangleIcon, CheckCircleIcon, PauseCircleIcon, XCircleIcon } from './icons.tsx';

/**
 * A connection's health as the server judges it (GET /api/connections), for the Overview, Compose
 * and the Operations filter alike (here, because features do not import each other).
 */
export const connectionHealthLooks: Record<ConnectionHealthState, StatusLook> = {
  healthy: { label: 'Healthy', tone: 'success', icon: CheckCircleIcon, hint: 'Its recent writes went through.' },
  failing: {
    label: 'Failing',
    tone: 'danger',
    icon: XCircleIcon,
    hint: 'Its recent writes all failed and will go on failing until the fleet acts.',
  },
  degraded: {
    label: 'Degraded',
    tone: 'warning',
    icon: AlertTriangleIcon,
    hint: 'The TSP or the network is dropping attempts; Catena retries them, so delivery may be late.',
  },
  paused: { label: 'Paused', tone: 'neutral', icon: PauseCircleIcon, hint: 'Catena says this connection is not active.' },
};

export function ConnectionHealthBadge({ health }: { health: Pick<ConnectionHealth, 'state'> }) {
  return <StatusBadge look={connectionHealthLooks[health.state]} />;
}

/** "since 14:02:11" (or a date when not today), or null when the state has no known start. */
export function healthSince(health: Pick<ConnectionHealth, 'since'>, now: number = Date.now()): string | null {
  return health.since ? `since ${formatLocal(health.since, now)}` : null;
}

/** Whether a connection's health is worth a word where people pick it (anything but healthy). */
export function needsAttention(health: Pick<ConnectionHealth, 'state'>): boolean {
  return health.state !== 'healthy';
}

/**
 * Where a troubled connection's trouble can be seen in Operations, or null when there is none to
 * see. Failing: its failed writes. Degraded: every write that met `network`/`tsp` errors — failed,
 * still retrying or recovered after retries — since a degraded connection's writes mostly get
 * through, and a link to its failed writes alone would often open an empty list. Paused and
 * healthy: nothing (a paused connection takes no writes).
 */
export function troubleView(
  health: Pick<ConnectionHealth, 'state'>,
): { words: string; search: { status?: ['failed']; error?: ['network', 'tsp'] } } | null {
  if (health.state === 'failing') return { words: 'See failures', search: { status: ['failed'] } };
  if (health.state === 'degraded') return { words: 'See network and TSP errors', search: { error: ['network', 'tsp'] } };
  return null;
}

/**
 * The link to a connection's trouble in Operations (troubleView), or nothing. The link's name
 * carries the connection's, so a list of them reads apart.
 */
export function ConnectionFailuresLink({
  connection,
  health,
  className = 'font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300',
}: {
  connection: { id: string; name: string };
  health: Pick<ConnectionHealth, 'state'>;
  className?: string;
}) {
  const view = troubleView(health);
  if (!view) return null;
  return (
    <Link
      to="/operations"
      search={{ connection: [connection.id], ...view.search }}
      className={className}
      aria-label={`${view.words} of ${connection.name}`}
    >
      {view.words}
    </Link>
  );
}
