import type { ComponentType } from 'react';
import type { ErrorType, OperationStatus } from '../../../contracts/operation-schemas.ts';
import { Badge, type BadgeTone } from './badge.tsx';
import {
  CheckCircleIcon,
  CircleDotIcon,
  ClockIcon,
  FileWarningIcon,
  KeyIcon,
  ServerCrashIcon,
  WifiOffIcon,
  XCircleIcon,
} from './icons.tsx';

/**
 * How a message's delivery reads wherever it is shown (a sent message, a broadcast's
 * recipients): always an icon and words, the colour only adds to them. `queued` is a broadcast
 * recipient the console has not handed to Catena yet; the others are the operation's status.
 */
export type DeliveryStatus = OperationStatus | 'queued';

type Look = { label: string; tone: BadgeTone; icon: ComponentType<{ className?: string }>; hint: string };

export const deliveryStatusLooks: Record<DeliveryStatus, Look> = {
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
    hint: 'Catena has it and has not finished: it may still be trying, or retrying after a failed attempt.',
  },
  success: { label: 'Success', tone: 'success', icon: CheckCircleIcon, hint: 'The TSP accepted the message.' },
  failed: { label: 'Failed', tone: 'danger', icon: XCircleIcon, hint: 'Catena gave up: the message did not reach the TSP.' },
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const look = deliveryStatusLooks[status];
  return (
    <Badge tone={look.tone} icon={look.icon} title={look.hint}>
      {look.label}
    </Badge>
  );
}

const errorTypeLooks: Record<ErrorType, Look> = {
  auth: { label: 'Auth', tone: 'danger', icon: KeyIcon, hint: 'The TSP rejected the fleet’s credentials, or the connection is paused.' },
  validation: { label: 'Validation', tone: 'warning', icon: FileWarningIcon, hint: 'The TSP rejected the message as invalid.' },
  network: { label: 'Network', tone: 'neutral', icon: WifiOffIcon, hint: 'No answer from the TSP (timeout or dropped connection).' },
  tsp: { label: 'TSP', tone: 'warning', icon: ServerCrashIcon, hint: 'The TSP answered with an error of its own.' },
};

export function errorTypeLabel(errorType: ErrorType): string {
  return errorTypeLooks[errorType].label;
}

export function ErrorTypeBadge({ errorType }: { errorType: ErrorType }) {
  const look = errorTypeLooks[errorType];
  return (
    <Badge tone={look.tone} icon={look.icon} title={look.hint}>
      {look.label} error
    </Badge>
  );
}
