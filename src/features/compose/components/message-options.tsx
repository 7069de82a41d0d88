import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { messagePriorities } from '../../../../contracts/message-schemas.ts';
import type { DirectoryUser } from '../../../../contracts/directory-schemas.ts';
import type { Operation } from '../../../../contracts/operation-schemas.ts';
import { SegmentedControl } from '../../../components/ui/segmented-control.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatRelative } from '../../../lib/format.ts';
import { composeQueries } from '../api/compose-queries.ts';
import type { MessagePriority } from '../compose-draft-store.ts';
import { inputClasses, labelClasses } from '../../../components/ui/form-field.tsx';

const priorityOptions = messagePriorities.map((priority) => ({
  value: priority,
  label: priority.charAt(0).toUpperCase() + priority.slice(1),
}));

export function PriorityField({ value, onChange }: { value: MessagePriority; onChange: (priority: MessagePriority) => void }) {
  return (
    <div>
      <p className={labelClasses} aria-hidden="true">
        Priority
      </p>
      <div className="mt-1.5">
        <SegmentedControl legend="Priority" options={priorityOptions} value={value} onChange={onChange} />
      </div>
    </div>
  );
}

/**
 * Async (Catena queues it and retries network and TSP failures) is the default. Sync asks the
 * TSP for an answer now, with no retries: useful to know at once, and only for one driver.
 */
export function DeliveryField({
  sync,
  onChange,
  available,
}: {
  sync: boolean;
  onChange: (sync: boolean) => void;
  /** Only a single recipient can be sent to synchronously. */
  available: boolean;
}) {
  const name = useId();
  const hintId = useId();
  const options = [
    { value: false, label: 'Queued (async)', hint: 'Catena delivers it and retries by itself if the TSP cannot be reached.' },
    {
      value: true,
      label: 'Immediate (sync)',
      hint: 'An immediate answer from the TSP, delivered or failed, with no automatic retries.',
    },
  ];
  return (
    <fieldset aria-describedby={hintId}>
      <legend className={labelClasses}>Delivery</legend>
      <div className="mt-1.5 space-y-1.5">
        {options.map((option) => {
          const disabled = option.value && !available;
          return (
            <label
              key={String(option.value)}
              className={`flex items-start gap-2.5 text-sm ${disabled ? 'cursor-not-allowed opacity-60' : 'cursor-pointer'}`}
            >
              <input
                type="radio"
                name={name}
                checked={(sync && available) === option.value}
                disabled={disabled}
                onChange={() => onChange(option.value)}
                className="mt-0.5 size-4 accent-brand-600"
              />
              <span className="font-medium text-slate-900 dark:text-slate-100">
                {option.label}
                <span className="block font-normal text-slate-600 dark:text-slate-400">{option.hint}</span>
              </span>
            </label>
          );
        })}
      </div>
      <p id={hintId} className={`mt-1.5 text-xs ${available ? 'sr-only' : 'text-slate-500 dark:text-slate-400'}`}>
        {available ? 'Sync is available for a single driver.' : 'Immediate delivery is for a single driver only.'}
      </p>
    </fieldset>
  );
}

/** The driver's part of the conversation: messages to or from them, newest first. */
function conversationOf(operations: readonly Operation[], driverId: string): Operation[] {
  return operations.filter(
    (operation) => operation.resource_id !== null && (operation.payload.recipient_id === driverId || operation.payload.sender_id === driverId),
  );
}

function excerpt(text: unknown, length = 60): string {
  if (typeof text !== 'string') return '(no text)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/**
 * Optionally a reply to one of the driver's earlier (delivered) messages: Catena links the new
 * message to it, and the driver's device shows them as one thread.
 */
export function ReplyField({
  connectionId,
  driver,
  value,
  onChange,
}: {
  connectionId: string;
  driver: DirectoryUser;
  value: string | null;
  onChange: (messageId: string | null) => void;
}) {
  const id = useId();
  const hintId = useId();
  const messages = useQuery({
    ...composeQueries.deliveredMessages(connectionId, driver.id),
    select: (page) => conversationOf(page.items, driver.id),
  });
  const options = messages.data ?? [];
  const known = value === null || options.some((operation) => operation.resource_id === value);

  return (
    <div>
      <label htmlFor={id} className={labelClasses}>
        In reply to
      </label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
        aria-describedby={hintId}
        className={`${inputClasses} mt-1.5`}
      >
        <option value="">Nothing: a new message</option>
        {known ? null : <option value={value ?? ''}>An earlier message ({value?.slice(0, 8)}…)</option>}
        {options.map((operation) => (
          <option key={operation.id} value={operation.resource_id ?? ''}>
            {`${operation.payload.sender_id === driver.id ? 'From' : 'To'} ${driver.name.split(' ')[0] ?? driver.name}, ${formatRelative(operation.created_at)}: “${excerpt(operation.payload.message_text)}”`}
          </option>
        ))}
      </select>
      <p id={hintId} className="mt-1.5 text-xs text-slate-600 dark:text-slate-400">
        {messages.isPending
          ? `Looking for earlier messages with ${driver.name}…`
          : messages.isError
            ? `Earlier messages could not be loaded: ${errorMessage(messages.error)}`
            : options.length === 0
              ? `No delivered messages with ${driver.name} yet.`
              : `${options.length} recent delivered ${options.length === 1 ? 'message' : 'messages'} with ${driver.name}.`}
      </p>
    </div>
  );
}
