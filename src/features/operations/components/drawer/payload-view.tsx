import { useId, useState, type ReactNode } from 'react';
import type { DirectoryUser } from '../../../../../contracts/directory-schemas.ts';
import type { OperationDetail } from '../../../../../contracts/operation-schemas.ts';
import { CopyButton } from '../../../../components/ui/copy-button.tsx';
import { AlertTriangleIcon } from '../../../../components/ui/icons.tsx';
import { usePersonal } from '../../../../components/ui/personal.tsx';
import { personalFields } from '../../../../lib/personal-data.ts';

/** Texts longer than this start folded, so the attempts stay in reach. */
const FOLD_TEXT_AT = 280;

type UsersLookup = { byId: ReadonlyMap<string, DirectoryUser>; loading: boolean; failed: boolean };

/**
 * What the console asked Catena (Catena's ids, with the people's names) beside what Catena sent
 * to the TSP (the TSP's own ids it resolved them to): a missing TSP id is often the whole story.
 * The raw JSON is one click away, ready to copy.
 */
export function PayloadView({ operation, users, tsp, record }: { operation: OperationDetail; users: UsersLookup; tsp: string; record?: ReactNode }) {
  const headingId = useId();
  const { payload } = operation;
  const isMessage = operation.resource === 'message';
  const readable = isMessage || Boolean(record);

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-50">
        Payload
      </h3>
      {isMessage ? <MessagePayload payload={payload} users={users} tsp={tsp} /> : record}
      <RawJson payload={payload} openByDefault={!readable} />
    </section>
  );
}

function MessagePayload({ payload, users, tsp }: { payload: Record<string, unknown>; users: UsersLookup; tsp: string }) {
  const text = stringField(payload, 'message_text');
  const priority = stringField(payload, 'priority');
  const replyTo = stringField(payload, 'reply_to_message_id');
  const sourceReplyTo = stringField(payload, 'source_reply_to_message_id');

  return (
    <div className="mt-3 space-y-4">
      <MessageText text={text} />
      <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
        <table className="w-full border-separate border-spacing-0 text-left text-sm">
          <caption className="sr-only">What we asked Catena, and what Catena sent to {tsp}</caption>
          <thead>
            <tr className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
              <td className="w-24 border-b border-slate-200 px-3 py-2 dark:border-slate-800" />
              <th scope="col" className="border-b border-slate-200 px-3 py-2 font-semibold dark:border-slate-800">
                We asked Catena
                <span className="block font-normal">Catena ids</span>
              </th>
              <th scope="col" className="border-b border-slate-200 px-3 py-2 font-semibold dark:border-slate-800">
                Catena sent to {tsp}
                <span className="block font-normal">{tsp} ids</span>
              </th>
            </tr>
          </thead>
          <tbody className="align-top">
            <PersonRow
              label="Sender"
              id={stringField(payload, 'sender_id')}
              sourceId={stringField(payload, 'source_sender_id')}
              users={users}
              tsp={tsp}
            />
            <PersonRow
              label="Recipient"
              id={stringField(payload, 'recipient_id')}
              sourceId={stringField(payload, 'source_recipient_id')}
              users={users}
              tsp={tsp}
            />
            {replyTo ? (
              <Row
                label="Replying to"
                asked={<IdText value={replyTo} note="A Catena message id" />}
                sent={
                  sourceReplyTo ? (
                    <IdText value={sourceReplyTo} main />
                  ) : (
                    <NotResolved>Not resolved: {tsp} has no message for this id on this connection.</NotResolved>
                  )
                }
              />
            ) : null}
            <Row label="Priority" asked={priority ? capitalise(priority) : 'Not set'} sent={priority ? capitalise(priority) : 'Not set'} />
          </tbody>
        </table>
      </div>
    </div>
  );
}

function MessageText({ text }: { text: string | null }) {
  const [expanded, setExpanded] = useState(false);
  const textId = useId();
  if (text === null || text === '') {
    return <p className="text-sm text-slate-600 dark:text-slate-400">The payload has no message text.</p>;
  }
  const length = [...text].length;
  const foldable = length > FOLD_TEXT_AT;
  return (
    <figure>
      <figcaption className="text-xs font-medium text-slate-500 dark:text-slate-400">
        Message text <span className="font-normal">({length.toLocaleString('en-US')} characters)</span>
      </figcaption>
      <blockquote
        id={textId}
        className={`mt-1 rounded-lg border-l-4 border-slate-300 bg-slate-50 px-3 py-2 text-sm whitespace-pre-wrap text-slate-800 dark:border-slate-600 dark:bg-slate-800/40 dark:text-slate-200 ${
          foldable && !expanded ? 'line-clamp-4' : ''
        }`}
      >
        {text}
      </blockquote>
      {foldable ? (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={textId}
          onClick={() => setExpanded((value) => !value)}
          className="mt-1 text-xs font-medium text-brand-700 hover:underline dark:text-brand-300"
        >
          {expanded ? 'Show less' : 'Show the whole text'}
        </button>
      ) : null}
    </figure>
  );
}

function Row({ label, asked, sent }: { label: string; asked: ReactNode; sent: ReactNode }) {
  return (
    <tr>
      <th scope="row" className="border-b border-slate-100 px-3 py-2.5 text-xs font-medium text-slate-500 dark:border-slate-800 dark:text-slate-400">
        {label}
      </th>
      <td className="border-b border-slate-100 px-3 py-2.5 dark:border-slate-800">{asked}</td>
      <td className="border-b border-slate-100 px-3 py-2.5 dark:border-slate-800">{sent}</td>
    </tr>
  );
}

function PersonRow({
  label,
  id,
  sourceId,
  users,
  tsp,
}: {
  label: string;
  id: string | null;
  sourceId: string | null;
  users: UsersLookup;
  tsp: string;
}) {
  const user = id ? users.byId.get(id.toLowerCase()) : undefined;
  return (
    <Row
      label={label}
      asked={
        id ? (
          <div className="min-w-0">
            <div className="font-medium text-slate-900 dark:text-slate-100">
              {user ? user.name : users.loading ? 'Looking up the name…' : users.failed ? 'Name unavailable' : 'Not in the directory'}
            </div>
            {user ? (
              <div className="text-xs text-slate-500 dark:text-slate-400">
                {capitalise(user.role)}
                {user.is_active ? '' : ' · inactive'}
              </div>
            ) : null}
            <IdText value={id} />
          </div>
        ) : (
          <span className="text-slate-500 dark:text-slate-400">Not given</span>
        )
      }
      sent={
        sourceId ? (
          <IdText value={sourceId} main />
        ) : (
          <NotResolved>
            Not resolved: Catena found no {tsp} user for this {label.toLowerCase()}.
          </NotResolved>
        )
      }
    />
  );
}

/** A Catena id under a name is secondary; a TSP id in the "sent" column is the value itself. */
function IdText({ value, note, main = false }: { value: string; note?: string; main?: boolean }) {
  return (
    <div
      className={`font-mono break-all ${main ? 'text-[13px] text-slate-900 dark:text-slate-100' : 'text-xs text-slate-600 dark:text-slate-300'}`}
      title={note}
    >
      {value}
    </div>
  );
}

function NotResolved({ children }: { children: ReactNode }) {
  return (
    <span className="inline-flex items-start gap-1.5 text-xs font-medium text-amber-800 dark:text-amber-300">
      <AlertTriangleIcon className="mt-px size-3.5" />
      <span>{children}</span>
    </span>
  );
}

function RawJson({ payload, openByDefault }: { payload: Record<string, unknown>; openByDefault: boolean }) {
  // In presenter mode a person's e-mail, phone or licence number is masked here too, and in what is copied.
  const personal = usePersonal();
  const json = JSON.stringify(
    payload,
    (key, value: unknown) => {
      const kind = personalFields[key];
      return kind && typeof value === 'string' ? personal(kind, value) : value;
    },
    2,
  );
  return (
    <div className="relative mt-4">
      <details open={openByDefault} className="group">
        <summary className="w-fit cursor-pointer rounded py-1 text-sm font-medium text-slate-700 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
          Raw payload (JSON)
        </summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded-lg bg-slate-950 p-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-slate-100 dark:ring-1 dark:ring-slate-800">
          {json}
        </pre>
      </details>
      <div className="absolute top-0 right-0">
        <CopyButton value={json} label="payload JSON" showText />
      </div>
    </div>
  );
}

function stringField(payload: Record<string, unknown>, key: string): string | null {
  const value = payload[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
