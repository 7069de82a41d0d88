import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { connectionQueries } from '../../lib/connection-queries.ts';
import { ResendBatchPage } from '../../features/resend-batches/components/resend-batch-page.tsx';
import { tspDisplayName } from '../../lib/tsp-name.ts';

/** "/resend-batches/$batchId", with the connections' names (their own feature) composed in. */
export function ResendBatchRoutePage() {
  const connections = useQuery(connectionQueries.list());
  const names = useMemo(
    () =>
      new Map(
        (connections.data?.items ?? []).map((connection) => [connection.id.toLowerCase(), `${connection.name} · ${tspDisplayName(connection.tsp)}`]),
      ),
    [connections.data],
  );
  return <ResendBatchPage connectionNames={names} />;
}
