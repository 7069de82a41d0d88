import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { connectionQueries } from '../../lib/connection-queries.ts';
import { tspDisplayName } from '../../lib/tsp-name.ts';
import { OperationsPage } from '../../features/operations/components/operations-page.tsx';
import type { OperationsSelection } from '../../features/operations/components/operations-table.tsx';
import { ResendSelectionButton } from '../../features/resend-batches/components/resend-preview-dialog.tsx';

/** The selection bar's action: a bulk resend, which is its own feature. */
function resendSelection(selection: OperationsSelection) {
  return <ResendSelectionButton selection={selection.request} />;
}

/**
 * "/operations". Connections and bulk resends belong to their own features; the app composes them
 * (features never import each other), handing the Operations page the names it shows and filters
 * by, and what to do with selected operations.
 */
export function OperationsRoutePage() {
  const connections = useQuery(connectionQueries.list());
  const options = useMemo(
    () =>
      connections.data?.items.map((connection) => ({
        id: connection.id,
        name: connection.name,
        tsp: tspDisplayName(connection.tsp),
        health: connection.health,
      })),
    [connections.data],
  );
  return <OperationsPage connections={options} selectionActions={resendSelection} />;
}
