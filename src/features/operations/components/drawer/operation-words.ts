import { operationTypeLabels, resourceLabel } from '../operation-looks.tsx';

/** The drawer's title for an operation: "Create message", "Update user". */
export function operationTitle(operation: { operation_type: 'create' | 'update'; resource: string }): string {
  const label = resourceLabel(operation.resource);
  return `${operationTypeLabels[operation.operation_type]} ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}
