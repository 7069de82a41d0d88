import { Link } from '@tanstack/react-router';
import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { Personal } from '../../../components/ui/personal.tsx';
import type { AuditEntry, AuditSubject } from '../../../../contracts/access-schemas.ts';
import { Timestamp } from '../../../components/ui/timestamp.tsx';
import { useNow } from '../../../lib/use-now.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { auditActionInWords, auditDetailPairs } from '../audit-words.ts';

/*
 * Every value here came from someone's input (an email typed into the sign-in form, a name, a
 * message's ids): it is rendered as text, never as markup.
 */

export const auditTableFeatures = tableFeatures({});
const column = createColumnHelper<typeof auditTableFeatures, AuditEntry>();

function Nothing({ label }: { label: string }) {
  return (
    <span className="text-slate-400 dark:text-slate-500">
      <span aria-hidden="true">—</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}

const linkClasses = 'font-medium text-brand-700 hover:underline dark:text-brand-300';
const idClasses = 'mt-0.5 block font-mono text-xs break-all text-slate-500 dark:text-slate-400';
const quietClasses = 'mt-0.5 block text-xs text-slate-500 dark:text-slate-400';

export const auditColumns = column.columns([
  column.accessor('at', {
    header: 'When',
    cell: ({ getValue }) => <When value={getValue()} />,
  }),
  column.display({
    id: 'actor',
    header: 'Who',
    cell: ({ row }) => <Actor entry={row.original} />,
  }),
  column.accessor('action', {
    header: 'Action',
    cell: ({ getValue }) => <span className="block min-w-40 text-slate-900 dark:text-slate-100">{auditActionInWords(getValue())}</span>,
  }),
  column.display({
    id: 'target',
    header: 'Target',
    cell: ({ row }) => <Target subject={row.original.subject} />,
  }),
  column.accessor('details', {
    header: 'Details',
    cell: ({ getValue }) => {
      const pairs = auditDetailPairs(getValue());
      if (pairs.length === 0) return <Nothing label="No details" />;
      return (
        <dl className="grid min-w-56 grid-cols-[auto_minmax(0,1fr)] gap-x-2 gap-y-0.5 text-xs">
          {pairs.map(({ key, value }) => (
            <div key={key} className="contents">
              <dt className="text-slate-500 dark:text-slate-400">{key}</dt>
              <dd className="font-mono break-all text-slate-700 dark:text-slate-300">{value}</dd>
            </div>
          ))}
        </dl>
      );
    },
  }),
  column.accessor('ip', {
    header: 'Address',
    cell: ({ getValue }) => {
      const ip = getValue();
      return ip ? (
        <span className="font-mono text-xs whitespace-nowrap text-slate-600 dark:text-slate-400">{ip}</span>
      ) : (
        <Nothing label="No address" />
      );
    },
  }),
]);

function When({ value }: { value: string }) {
  const display = useTimeDisplay();
  const now = useNow(30_000);
  return (
    <span className="whitespace-nowrap text-slate-700 dark:text-slate-300">
      <Timestamp value={value} display={display} now={now} />
    </span>
  );
}

/** A card on a small screen: what was done, then when, by whom, to what, the details and the address. */
export const auditCardLayout: CardLayout = {
  title: 'action',
  fields: ['at', 'actor', 'target', 'ip', 'details'],
  wide: ['target', 'details'],
};

/** The account's name as it is now, linked to it among the accounts; the address it signed in with beneath. */
function Actor({ entry }: { entry: AuditEntry }) {
  if (entry.actor_email === null) return <span className="block min-w-44 text-slate-500 dark:text-slate-400">Not signed in</span>;
  return (
    <span className="block min-w-44 break-words">
      {entry.actor_id !== null && entry.actor_name !== null ? (
        <Link to="/accounts" search={{ account: entry.actor_id }} className={linkClasses}>
          {entry.actor_name}
        </Link>
      ) : (
        <span className="text-slate-700 dark:text-slate-300">An account that no longer exists</span>
      )}
      <span className={quietClasses}>
        <Personal kind="email">{entry.actor_email}</Personal>
      </span>
    </span>
  );
}

/** What the action was done to, in words, linked to where it can be seen. */
function Target({ subject }: { subject: AuditSubject | null }) {
  if (subject === null) return <Nothing label="No target" />;
  switch (subject.kind) {
    case 'operation':
      return (
        <span className="block min-w-44">
          <Link to="/operations" search={{ op: subject.id }} className={linkClasses}>
            Operation
          </Link>
          <span className={idClasses}>{subject.id}</span>
        </span>
      );
    case 'broadcast':
      return (
        <span className="block min-w-44">
          <Link to="/broadcasts/$broadcastId" params={{ broadcastId: subject.id }} className={linkClasses}>
            Broadcast
          </Link>
          <span className={idClasses}>{subject.id}</span>
        </span>
      );
    case 'resend_batch':
      return (
        <span className="block min-w-44">
          <Link to="/resend-batches/$batchId" params={{ batchId: subject.id }} className={linkClasses}>
            Bulk resend
          </Link>
          <span className={idClasses}>{subject.id}</span>
        </span>
      );
    case 'incident':
      return (
        <span className="block min-w-44">
          <Link to="/operations" search={{ incident: subject.id }} className={linkClasses}>
            Provider incident
          </Link>
          <span className={idClasses}>{subject.id}</span>
        </span>
      );
    case 'account':
      return (
        <span className="block min-w-44 break-words">
          {subject.id !== null && subject.name !== null ? (
            <Link to="/accounts" search={{ account: subject.id }} className={linkClasses}>
              {subject.name}
            </Link>
          ) : (
            <span className="text-slate-700 dark:text-slate-300">No account has this address</span>
          )}
          <span className={quietClasses}>
            <Personal kind="email">{subject.email}</Personal>
          </span>
        </span>
      );
    case 'demo_scenario':
      return (
        <span className="block min-w-44 text-slate-700 dark:text-slate-300">
          {subject.scenario ? `The demo's ${subject.scenario.replaceAll('_', ' ')} scenario` : 'A demo scenario'}
        </span>
      );
    case 'demo':
      return <span className="block min-w-44 text-slate-700 dark:text-slate-300">The demo</span>;
    case 'webhook_subscription':
      return <span className="block min-w-44 text-slate-700 dark:text-slate-300">The webhook subscription</span>;
    case 'other':
      return <span className="font-mono text-xs break-all text-slate-700 dark:text-slate-300">{subject.value}</span>;
  }
}
