import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { Button } from '../../../components/ui/button.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { AlertTriangleIcon, RefreshIcon, SendIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { composeMutations, composeQueries } from '../api/compose-queries.ts';
import { useComposeActions, useComposeDraft, useLastSenders, type ComposeDraft } from '../compose-draft-store.ts';
import {
  composeFields,
  composeRequest,
  formatCount,
  isSingleRecipient,
  recipientsOf,
  serverRefusal,
  validateDraft,
  type ComposeField,
  type FieldErrors,
  type Recipients,
} from '../compose-validation.ts';
import { ConnectionField } from './connection-field.tsx';
import { FormSection } from './field-parts.tsx';
import { MessageField } from './message-field.tsx';
import { DeliveryField, PriorityField, ReplyField } from './message-options.tsx';
import { RecipientsField } from './recipients-field.tsx';
import { SenderField } from './sender-field.tsx';
import { SentMessage } from './sent-message.tsx';

/** Each field's value when the server refused: its error stands until that value changes. */
type FieldValues = Record<ComposeField, string>;

function fieldValues(draft: ComposeDraft, senderId: string | null): FieldValues {
  return {
    connection: draft.connectionId ?? '',
    sender: senderId ?? '',
    recipients: draft.allDrivers ? 'all' : draft.recipientIds.join(','),
    text: draft.text,
  };
}

type Refusal = { fields: FieldErrors; form: string | null; values: FieldValues };

function firstInvalid(errors: FieldErrors): ComposeField | undefined {
  return composeFields.find((field) => errors[field] !== undefined);
}

function countLine(recipients: Recipients, connectionName: string | undefined): string {
  if (recipients.kind === 'all') {
    if (recipients.count === undefined) return connectionName ? 'Counting the drivers…' : 'No recipient yet';
    if (recipients.count === 0) return 'No active drivers to send to';
    return `Sends ${formatCount(recipients.count)} ${recipients.count === 1 ? 'message' : 'messages'}: one to each active driver of ${connectionName ?? 'the connection'}`;
  }
  if (recipients.count === 0) return 'No recipient yet';
  if (recipients.count === 1) return 'Sends 1 message';
  return `Sends ${formatCount(recipients.count)} messages: one to each driver, as a broadcast`;
}

/**
 * "/compose": one message to a driver in seconds, or one text to many drivers as a broadcast.
 * The draft lives on this device (compose-draft-store.ts) and is cleared only once the server
 * accepted the message; the form checks what it can before sending and shows the server's
 * refusals beside the field they concern.
 */
export function ComposePage() {
  const draft = useComposeDraft();
  const senders = useLastSenders();
  const actions = useComposeActions();
  const navigate = useNavigate();

  const connections = useQuery(composeQueries.connections());
  const connection = connections.data?.items.find((candidate) => candidate.id === draft.connectionId);
  const dispatchers = useQuery({
    ...composeQueries.users(connection?.id ?? '', 'dispatcher'),
    enabled: connection !== undefined,
  });
  const drivers = useQuery({ ...composeQueries.users(connection?.id ?? '', 'driver'), enabled: connection !== undefined });
  const dispatcherList = connection ? dispatchers.data?.items : undefined;
  const driverList = connection ? drivers.data?.items : undefined;

  // The sender last used on this connection; with a single dispatcher there is nothing to choose.
  const onlyDispatcher = dispatcherList?.length === 1 ? (dispatcherList[0]?.id ?? null) : null;
  const senderId = (connection ? senders[connection.id] : undefined) ?? onlyDispatcher;

  const context = { connection, senderId, dispatchers: dispatcherList, drivers: driverList };
  const recipients = recipientsOf(draft, driverList);
  const single = isSingleRecipient(recipients);
  const singleDriver = single && recipients.kind === 'chosen' ? recipients.chosen[0] : undefined;

  const [attempted, setAttempted] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [sent, setSent] = useState<{ operationId: string; recipientName: string; sync: boolean } | null>(null);

  const send = useMutation(composeMutations.send());
  const broadcast = useMutation(composeMutations.broadcast());
  const busy = send.isPending || broadcast.isPending;

  // Errors are derived: the form's own checks once a send was attempted, and the server's
  // refusal for as long as the field it names still holds what was refused.
  const values = fieldValues(draft, senderId);
  const clientErrors = attempted ? validateDraft(draft, context) : {};
  const errors: FieldErrors = {};
  for (const field of composeFields) {
    const fromServer = refusal && refusal.values[field] === values[field] ? refusal.fields[field] : undefined;
    const message = clientErrors[field] ?? fromServer;
    if (message !== undefined) errors[field] = message;
  }
  const unchangedSinceRefusal = refusal !== null && composeFields.every((field) => refusal.values[field] === values[field]);
  const formError = unchangedSinceRefusal ? refusal.form : null;
  const problems = composeFields.flatMap((field) => errors[field] ?? []);

  const connectionGroupRef = useRef<HTMLDivElement>(null);
  const senderRef = useRef<HTMLSelectElement>(null);
  const recipientsRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  function focusField(field: ComposeField | undefined) {
    const group = connectionGroupRef.current;
    const target =
      field === 'connection'
        ? (group?.querySelector<HTMLInputElement>('input:checked') ?? group?.querySelector<HTMLInputElement>('input'))
        : field === 'sender'
          ? senderRef.current
          : field === 'recipients'
            ? recipientsRef.current
            : field === 'text'
              ? textRef.current
              : null;
    target?.focus();
    // A disabled control cannot take focus: the summary says what is wrong instead.
    if (!target || document.activeElement !== target) summaryRef.current?.focus();
  }

  function refused(error: unknown, at: FieldValues) {
    const refusalNow = serverRefusal(error);
    // The key was spent on a different request: the next press is a new intent.
    if (isApiError(error) && error.code === 'idempotency_key_reused') actions.intentSpent();
    flushSync(() => setRefusal({ ...refusalNow, values: at }));
    focusField(firstInvalid(refusalNow.fields));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found = validateDraft(draft, context);
    const built = firstInvalid(found) ? { errors: found } : composeRequest(draft, context);
    if (built.errors) {
      flushSync(() => {
        setAttempted(true);
        setRefusal(built.errors === found ? null : { fields: built.errors, form: null, values });
      });
      focusField(firstInvalid(built.errors));
      return;
    }
    setAttempted(true);
    setRefusal(null);
    const { request } = built;
    const idempotencyKey = actions.idempotencyKeyFor(JSON.stringify(request));
    const at = values;
    if (connection && senderId) actions.chooseSender(connection.id, senderId);

    if (request.kind === 'message') {
      const recipientName = singleDriver?.name ?? 'the driver';
      send.mutate(
        { body: request.body, idempotencyKey },
        {
          onSuccess: (operation) => {
            // 502 (sync): the TSP refused it. The operation exists, so a retry is a new message;
            // the text stays for the dispatcher to fix or send again.
            if (operation.status === 'failed') actions.intentSpent();
            else actions.accepted();
            setAttempted(false);
            setSent({ operationId: operation.id, recipientName, sync: request.body.is_sync === true });
          },
          onError: (error) => refused(error, at),
        },
      );
    } else {
      broadcast.mutate(
        { body: request.body, idempotencyKey },
        {
          onSuccess: (created) => {
            actions.accepted();
            void navigate({ to: '/broadcasts/$broadcastId', params: { broadcastId: created.id } });
          },
          onError: (error) => refused(error, at),
        },
      );
    }
  }

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Compose</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Send a message to one driver, or the same message to several drivers or a whole fleet.
        </p>
      </div>

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <form noValidate onSubmit={submit} aria-labelledby="compose-heading">
          <Panel
            title="New message"
            titleId="compose-heading"
            description="Written here, delivered through Catena to the driver’s device."
          >
            {problems.length > 0 || formError ? (
              <div
                ref={summaryRef}
                tabIndex={-1}
                role="alert"
                className="mx-4 mt-4 rounded-lg bg-red-50 px-4 py-3 text-sm text-red-900 ring-1 ring-red-600/20 ring-inset focus:outline-none sm:mx-5 dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/25"
              >
                <p className="flex items-center gap-2 font-semibold">
                  <AlertTriangleIcon className="size-4" />
                  {formError && problems.length === 0
                    ? 'The message was not sent'
                    : `${problems.length} ${problems.length === 1 ? 'problem stops' : 'problems stop'} this message from being sent`}
                </p>
                <ul className="mt-1.5 list-disc space-y-0.5 pl-10">
                  {problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                  {formError ? <li>{formError}</li> : null}
                </ul>
              </div>
            ) : null}

            <div className="divide-y divide-slate-100 dark:divide-slate-800">
              <FormSection>
                {connections.isPending ? (
                  <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
                    Loading connections…
                  </p>
                ) : connections.data === undefined ? (
                  <EmptyState
                    kind="error"
                    title="Could not load connections"
                    action={
                      <Button variant="primary" onClick={() => void connections.refetch()} disabled={connections.isFetching}>
                        <RefreshIcon className={`size-4 ${connections.isFetching ? 'animate-spin' : ''}`} />
                        Try again
                      </Button>
                    }
                  >
                    {errorMessage(connections.error)}
                  </EmptyState>
                ) : connections.data.items.length === 0 ? (
                  <EmptyState kind="nothing-yet" title="No connections yet">
                    Messages go through a fleet’s connection to its telematics provider. Once a fleet connects, it appears
                    here.
                  </EmptyState>
                ) : (
                  <ConnectionField
                    connections={connections.data.items}
                    value={draft.connectionId}
                    onChange={actions.chooseConnection}
                    error={errors.connection}
                    groupRef={connectionGroupRef}
                  />
                )}
              </FormSection>

              <FormSection>
                <SenderField
                  connection={connection}
                  dispatchers={dispatcherList}
                  dispatchersError={connection && dispatchers.isError ? errorMessage(dispatchers.error) : null}
                  value={senderId}
                  onChange={(id) => connection && actions.chooseSender(connection.id, id)}
                  error={errors.sender}
                  selectRef={senderRef}
                />
              </FormSection>

              <FormSection>
                <RecipientsField
                  connection={connection}
                  drivers={driverList}
                  driversError={drivers.isError ? errorMessage(drivers.error) : null}
                  recipients={recipients}
                  recipientIds={draft.recipientIds}
                  onRecipientIdsChange={actions.setRecipientIds}
                  allDrivers={draft.allDrivers}
                  onAllDriversChange={actions.setAllDrivers}
                  error={errors.recipients}
                  onRetry={() => void drivers.refetch()}
                  inputRef={recipientsRef}
                />
              </FormSection>

              <FormSection className="space-y-5">
                <MessageField
                  connection={connection}
                  value={draft.text}
                  onChange={actions.setText}
                  error={errors.text}
                  textareaRef={textRef}
                />
                <div className="grid gap-5 sm:grid-cols-[auto_minmax(0,1fr)]">
                  <PriorityField value={draft.priority} onChange={actions.setPriority} />
                  <DeliveryField sync={draft.sync} onChange={actions.setSync} available={single} />
                </div>
                {connection && singleDriver ? (
                  <ReplyField
                    connectionId={connection.id}
                    driver={singleDriver}
                    value={draft.replyToMessageId}
                    onChange={actions.setReplyToMessageId}
                  />
                ) : null}
              </FormSection>
            </div>

            <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 bg-slate-50/80 px-4 py-3.5 sm:px-5 dark:border-slate-800 dark:bg-slate-900/60">
              <p aria-live="polite" className="text-sm font-medium text-slate-700 dark:text-slate-300">
                {countLine(recipients, connection?.name)}
              </p>
              <Button type="submit" variant="primary" disabled={busy}>
                <SendIcon className="size-4" />
                {busy ? 'Sending…' : single || recipients.count === 0 ? 'Send message' : 'Send broadcast'}
              </Button>
            </div>
          </Panel>
        </form>

        <aside className="space-y-6" aria-label="Sending">
          {sent ? <SentMessage key={sent.operationId} {...sent} /> : null}
          <Panel title="How sending works" titleId="how-sending-works-heading">
            <ul className="space-y-3 px-4 py-4 text-sm text-slate-600 sm:px-5 dark:text-slate-400">
              <li>
                <span className="font-medium text-slate-900 dark:text-slate-100">One driver</span> gets a single message. Its
                status shows here, live, until the TSP has it.
              </li>
              <li>
                <span className="font-medium text-slate-900 dark:text-slate-100">Several or all drivers</span> get one message
                each, as a broadcast. Its page shows every recipient’s progress.{' '}
                <Link to="/broadcasts" className="font-medium text-brand-700 hover:underline dark:text-brand-300">
                  All broadcasts
                </Link>
              </li>
              <li>
                <span className="font-medium text-slate-900 dark:text-slate-100">Never twice:</span> pressing Send again after
                an error retries the same message, which the console delivers at most once.
              </li>
            </ul>
          </Panel>
        </aside>
      </div>
    </div>
  );
}
