import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { CardLayout } from '../../../components/ui/data-table.tsx';
import { Personal } from '../../../components/ui/personal.tsx';
import type { AuditEntry } from '../../../../contracts/access-schemas.ts';
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

export const auditColumns = column.columns([
  column.accessor('at', {
    header: 'When',
    cell: ({ getValue }) => <When value={getValue()} />,
  }),
  column.accessor('actor_email', {
    header: 'Who',
    cell: ({ getValue }) => {
      const email = getValue();
      return email ? (
        <span className="block min-w-44 break-words text-slate-900 dark:text-slate-100"><Personal kind="email">{email}</Personal></span>
      ) : (
        <span className="block min-w-44 text-slate-500 dark:text-slate-400">Not signed in</span>
      );
    },
  }),
  column.accessor('action', {
    header: 'Action',
    cell: ({ getValue }) => (
      <div className="min-w-40">
        <div className="text-slate-900 dark:text-slate-100">{auditActionInWords(getValue())}</div>
        <div className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">{getValue()}</div>
      </div>
    ),
  }),
  column.accessor('target', {
    header: 'Target',
    cell: ({ getValue }) => {
      const target = getValue();
      return target ? (
        <span className="font-mono text-xs break-all text-slate-700 dark:text-slate-300">{target}</span>
      ) : (
        <Nothing label="No target" />
      );
    },
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
  fields: ['at', 'actor_email', 'target', 'ip', 'details'],
  wide: ['target', 'details'],
};
