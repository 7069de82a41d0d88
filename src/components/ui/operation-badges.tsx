import type { ErrorType, OperationStatus } from '../../../contracts/operation-schemas.ts';
import { Badge, StatusBadge, type StatusLook } from './badge.tsx';
import { CheckCircleIcon, CircleDotIcon, ClockIcon, FileWarningIcon, KeyIcon, ServerCrashIcon, WifiOffIcon, XCircleIcon } from './icons.tsx';

/**
 * How an operation's status and errors read wherever they are shown (the operations table and
 * drawer, a sent message, a broadcast's recipients): one set of words, icons and hints, so the
 * same status never reads two ways. Here because features do not import each other.
 */

/** An operation's status, or `queued`: a broadcast recipient the console has not handed to Catena yet. */
export type DeliveryStatus = OperationStatus | 'queued';

export const operationStatusLooks: Record<DeliveryStatus, StatusLook> = {
  queued: {
    label: 'Queued',
    tone: 'neutral',
    icon: CircleDotIcon,
    hint: 'Waiting its turn: the console hands a broadcast’s messages to Catena one by one, at Catena’s pace.',
  },
  pending: {
    label: 'Pending',
    tone: 'info',
    icon: ClockIcon,
    hint: 'Catena accepted it and is still working on it (retries included).',
  },
  success: { label: 'Succeeded', tone: 'success', icon: CheckCircleIcon, hint: 'The TSP accepted it.' },
  failed: { label: 'Failed', tone: 'danger', icon: XCircleIcon, hint: 'Catena gave up: see the last error.' },
};

export function OperationStatusBadge({ status }: { status: DeliveryStatus }) {
  return <StatusBadge look={operationStatusLooks[status]} />;
}

/** One attempt's outcome: the status words without the hint, which speaks of the whole operation. */
export function AttemptOutcomeBadge({ outcome }: { outcome: 'success' | 'failed' }) {
  const look = operationStatusLooks[outcome];
  return (
    <Badge tone={look.tone} icon={look.icon}>
      {look.label}
    </Badge>
  );
}

/** What each error type means, and who must act on it: the question support asks first. */
export const errorTypeLooks: Record<ErrorType, StatusLook> = {
  auth: {
    label: 'Auth',
    tone: 'danger',
    icon: KeyIcon,
    hint: 'The TSP refused the connection’s credentials. The fleet must re-authorise the connection.',
  },
  validation: {
    label: 'Validation',
    tone: 'warning',
    icon: FileWarningIcon,
    hint: 'The TSP refused the content (too long, unknown or inactive recipient…). Whoever sent it must change it.',
  },
  network: {
    label: 'Network',
    tone: 'neutral',
    icon: WifiOffIcon,
    hint: 'The TSP could not be reached. Catena retries by itself; nobody needs to act unless it keeps failing.',
  },
  tsp: {
    label: 'TSP',
    tone: 'warning',
    icon: ServerCrashIcon,
    hint: 'The TSP answered with an error of its own (an outage). Catena retries; if it persists, contact the TSP.',
  },
};

export function ErrorTypeBadge({ errorType }: { errorType: ErrorType }) {
  const look = errorTypeLooks[errorType];
  return <StatusBadge look={look}>{look.label} error</StatusBadge>;
}
