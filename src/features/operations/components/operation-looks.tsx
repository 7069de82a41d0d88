import type { OperationType } from '../../../../contracts/operation-schemas.ts';

/* Status and error-type words, icons and hints are shared with Compose and Broadcasts: components/ui/operation-badges.tsx. */

export const operationTypeLabels: Record<OperationType, string> = { create: 'Create', update: 'Update' };

/** Catena's writable resources in plain words; any other resource is named from its own name. */
const resourceWords: Record<string, string> = {
  message: 'Message',
  group_message: 'Group message',
  user: 'User',
  vehicle: 'Vehicle',
  trailer: 'Trailer',
  fuel_transaction: 'Fuel transaction',
  dvir_log: 'DVIR log',
};

export function resourceLabel(resource: string): string {
  const known = resourceWords[resource];
  if (known) return known;
  const words = resource.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
