import type { OperationType } from '../../../../contracts/operation-schemas.ts';

/* Status and error-type words, icons and hints are shared with Compose and Broadcasts: components/ui/operation-badges.tsx. */

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
