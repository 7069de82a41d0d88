import { Link } from '@tanstack/react-router';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { Broadcast } from '../../../../contracts/broadcast-schemas.ts';
import { Timestamp } from '../../../components/ui/timestamp.tsx';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { BroadcastProgress } from './broadcast-progress.tsx';

export const broadcastTableFeatures = tableFeatures({});
const column = createColumnHelper<typeof broadcastTableFeatures, Broadcast>();

/** How much of the text the list shows; the broadcast's page shows all of it. */
const EXCERPT_LENGTH = 90;

/** The start of the text, cut at a word and without a dangling comma or full stop before the "…". */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length - 1);
  // Cut inside a word: back to the space before it (unless that loses half the room).
  const lastSpace = cut.lastIndexOf(' ');
  const atWord = flat[length - 1] === ' ' || lastSpace < length / 2 ? cut : cut.slice(0, lastSpace);
  return `${atWord.replace(/[\s.,;:!?–—-]+$/u, '')}…`;
}

function WhenCell({ value }: { value: string }) {
  const display = useTimeDisplay();
  const now = useNow(10_000);
  return (
    <span className="whitespace-nowrap text-slate-700 tabular-nums dark:text-slate-300">
      <Timestamp value={value} display={display} now={now} />
    </span>
  );
}

/**
 * Two people: the fleet's dispatcher the drivers see as the sender on Catena, and the console user
 * who pressed Send (when the console knows it), so "who sent this?" has both answers.
 */
function SenderWords({ broadcast }: { broadcast: Pick<Broadcast, 'sender_name' | 'created_by_name'> }) {
  return (
    <span className="text-slate-700 dark:text-slate-300">
      <span className="whitespace-nowrap">{broadcast.sender_name}</span>
      {broadcast.created_by_name ? ' ' : null}
      {broadcast.created_by_name ? (
        <span className="block text-xs text-slate-500 dark:text-slate-400">sent by {broadcast.created_by_name}</span>
      ) : null}
    </span>
  );
}

/** The text, linked to the broadcast's page, with whom it went to. */
const messageColumn = column.accessor('message_text', {
  header: 'Message',
  cell: ({ row }) => (
    <div className="min-w-56">
      <Link
        to="/broadcasts/$broadcastId"
        params={{ broadcastId: row.original.id }}
        className="font-medium text-slate-900 hover:text-brand-700 hover:underline dark:text-slate-50 dark:hover:text-brand-300"
      >
        {excerpt(row.original.message_text)}
      </Link>
      <div className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
        {row.original.all_drivers ? 'All drivers' : `${row.original.recipient_count} chosen drivers`}
        {row.original.resend_of ? ' · resend to failed recipients' : ''}
        {row.original.priority ? ` · ${row.original.priority} priority` : ''}
      </div>
    </div>
  ),
});

const whenColumn = column.accessor('created_at', {
  header: 'When',
  cell: ({ getValue }) => <WhenCell value={getValue()} />,
});

export const broadcastColumns = column.columns([
  whenColumn,
  messageColumn,
  column.accessor('sender_name', {
    header: 'From',
    cell: ({ row }) => <SenderWords broadcast={row.original} />,
  }),
  column.accessor('connection_name', {
    header: 'Connection',
    cell: ({ row }) => (
      <span className="whitespace-nowrap">
        <span className="text-slate-900 dark:text-slate-100">{row.original.connection_name}</span>
        <span className="text-slate-500 dark:text-slate-400"> · {tspDisplayName(row.original.tsp)}</span>
      </span>
    ),
  }),
  column.display({
    id: 'progress',
    header: 'Recipients',
    cell: ({ row }) => (
      <BroadcastProgress
        counts={row.original.counts}
        total={row.original.recipient_count}
        label={`Delivery to ${row.original.recipient_count} recipients`}
        size="sm"
      />
    ),
  }),
]);

export const broadcastColumnClasses: Partial<Record<string, string>> = {
  created_at: 'w-28',
  progress: 'w-72',
  sender_name: 'w-40',
};

/** A card on a small screen: the text, then when, from whom, through which connection, and the progress. */
export const broadcastCardLayout: CardLayout = {
  fields: ['created_at', 'sender_name', 'connection_name', 'progress'],
  wide: ['connection_name', 'progress'],
};
