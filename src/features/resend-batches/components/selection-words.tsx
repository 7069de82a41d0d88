import { Link } from '@tanstack/react-router';
import type { ResendBatch } from '../../../../contracts/resend-batch-schemas.ts';
import { plural } from '../resend-batch-words.ts';

/** What a batch covers, in words: "12 selected operations", "every operation matching a filter", a broadcast. */
export function SelectionWords({ batch }: { batch: ResendBatch }) {
  const { selection } = batch;
  switch (selection.kind) {
    case 'ids':
      return plural(selection.count, 'selected operation', 'selected operations');
    case 'filter':
      return `every operation matching a filter (${plural(batch.selected, 'operation', 'operations')})`;
    case 'broadcast':
      return (
        <Link
          to="/broadcasts/$broadcastId"
          params={{ broadcastId: selection.broadcast_id }}
          search={{}}
          className="font-medium text-brand-700 hover:underline dark:text-brand-300"
        >
          a broadcast’s failed recipients
        </Link>
      );
  }
}
