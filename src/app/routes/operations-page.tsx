import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { connectionQueries } from '../../features/connections/api/connection-queries.ts';
import { tspDisplayName } from '../../lib/tsp-name.ts';
import { OperationsPage } from '../../features/operations/components/operations-page.tsx';

/**
 * "/operations". Connections belong to their own feature; the app composes the two (features never
 * import each other), handing the Operations page the names it shows and filters by.
 */
export function OperationsRoutePage() {
  const connections = useQuery(connectionQueries.list());
  const options = useMemo(
    () =>
      connections.data?.items.map((connection) => ({
        id: connection.id,
        name: connection.name,
        tsp: tspDisplayName(connection.tsp),
      })),
    [connections.data],
  );
  return <OperationsPage connections={options} />;
}
