import { StatusBadge, type StatusLook } from './badge.tsx';
import { CheckCircleIcon, CircleDotIcon, ClockIcon, MinusCircleIcon, PauseCircleIcon, XCircleIcon } from './icons.tsx';

/**
 * Catena's ConnectionStatusEnum, as the Overview and Compose show it (here, because features do
 * not import each other); anything newer is shown as its own word, neutrally.
 */
const statusLooks: Record<string, StatusLook> = {
  active: { label: 'Active', tone: 'success', icon: CheckCircleIcon, hint: 'Data flows and messages can be sent.' },
  paused: {
    label: 'Paused',
    tone: 'warning',
    icon: PauseCircleIcon,
    hint: 'The fleet paused this connection: nothing is synced or sent until it resumes.',
  },
  stale: {
    label: 'Stale',
    tone: 'warning',
    icon: ClockIcon,
    hint: 'Catena has not synced this connection recently.',
  },
  failed: {
    label: 'Failed',
    tone: 'danger',
    icon: XCircleIcon,
    hint: 'The TSP rejects this connection, usually its credentials: the fleet must re-authorise it.',
  },
  cancelled: { label: 'Cancelled', tone: 'neutral', icon: MinusCircleIcon, hint: 'The fleet ended this connection.' },
  deleted: { label: 'Deleted', tone: 'neutral', icon: MinusCircleIcon, hint: 'This connection was removed.' },
};

export function connectionStatusLook(status: string): StatusLook {
  const known = statusLooks[status.toLowerCase()];
  if (known) return known;
  const word = status.trim() === '' ? 'Unknown' : status.charAt(0).toUpperCase() + status.slice(1).replaceAll('_', ' ');
  return { label: word, tone: 'neutral', icon: CircleDotIcon, hint: `Catena reports the status "${status}".` };
}

export function ConnectionStatusBadge({ status }: { status: string }) {
  return <StatusBadge look={connectionStatusLook(status)} />;
}
