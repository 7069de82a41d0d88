import type { ComponentType } from 'react';
import type { ErrorType, OperationStatus, OperationType } from '../../../../contracts/operation-schemas.ts';
import { Badge, type BadgeTone } from '../../../components/ui/badge.tsx';
import { CheckCircleIcon, ClockIcon, XCircleIcon } from '../../../components/ui/icons.tsx';

type Icon = ComponentType<{ className?: string }>;

/** How each status reads: always a word and an icon, the colour only adds to them. */
export const statusLooks: Record<OperationStatus, { label: string; tone: BadgeTone; icon: Icon; hint: string }> = {
  pending: {
    label: 'Pending',
    tone: 'warning',
    icon: ClockIcon,
    hint: 'Catena accepted it and is still working on it (retries included).',
  },
  success: { label: 'Succeeded', tone: 'success', icon: CheckCircleIcon, hint: 'The TSP accepted it.' },
  failed: { label: 'Failed', tone: 'danger', icon: XCircleIcon, hint: 'Catena gave up: see the last error.' },
};

export function OperationStatusBadge({ status }: { status: OperationStatus }) {
  const look = statusLooks[status];
  return (
    <Badge tone={look.tone} icon={look.icon} title={look.hint}>
      {look.label}
    </Badge>
  );
}

/** What each error type means, and who must act on it: the question support asks first. */
export const errorTypeLooks: Record<ErrorType, { label: string; hint: string }> = {
  auth: {
    label: 'Auth',
    hint: 'The TSP refused the connection’s credentials. The fleet must re-authorise the connection.',
  },
  validation: {
    label: 'Validation',
    hint: 'The TSP refused the content (too long, unknown or inactive recipient…). Whoever sent it must change it.',
  },
  network: {
    label: 'Network',
    hint: 'The TSP could not be reached. Catena retries by itself; nobody needs to act unless it keeps failing.',
  },
  tsp: {
    label: 'TSP',
    hint: 'The TSP answered with an error of its own (an outage). Catena retries; if it persists, contact the TSP.',
  },
};

export const operationTypeLabels: Record<OperationType, string> = { create: 'Create', update: 'Update' };

/**
 * Resources the console can filter by: Catena's write endpoints (messages, users, group
 * messages, fuel transactions, DVIR logs). A link may name another; it is kept and shown.
 */
export const knownResources = ['message', 'group_message', 'user', 'fuel_transaction', 'dvir_log'] as const;

export function resourceLabel(resource: string): string {
  const words = resource.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
