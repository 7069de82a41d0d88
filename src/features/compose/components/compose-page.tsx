import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import type { CreateBroadcastRequest } from '../../../../contracts/broadcast-schemas.ts';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { describedBy } from '../../../components/ui/form-field.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { QueryStates } from '../../../components/ui/query-states.tsx';
import { SendCheckNotice } from '../../../components/ui/send-check-notice.tsx';
import { AlertTriangleIcon, SendIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { connectionQueries } from '../../../lib/connection-queries.ts';
import { IN_DOUBT_HEADLINE, isSettled, sendInDoubt, sendQueries } from '../../../lib/send-queries.ts';
import { userQueries } from '../../../lib/user-queries.ts';
import { composeMutations } from '../api/compose-queries.ts';
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
import { FailingConnectionWarning, failingConnectionWarning } from './failing-connection-warning.tsx';
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

/** The message just sent: its operation, or none yet while the send is in doubt. */
type SentInfo = { operationId: string | null; recipientName: string; sync: boolean };

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

  const connections = useQuery(connectionQueries.list());
  const connection = connections.data?.items.find((candidate) => candidate.id === draft.connectionId);
  const dispatchers = useQuery({
    ...userQueries.list({ connection_id: connection?.id ?? '', role: 'dispatcher' }),
    enabled: connection !== undefined,
  });
  const drivers = useQuery({ ...userQueries.list({ connection_id: connection?.id ?? '', role: 'driver' }), enabled: connection !== undefined });
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
  const [sent, setSent] = useState<SentInfo | null>(null);
  // A broadcast to every driver waits for this confirmation (what it sends, and its key).
  const [confirmAll, setConfirmAll] = useState<{ body: CreateBroadcastRequest; idempotencyKey: string; count: number } | null>(null);

  const send = useMutation(composeMutations.send());
  const broadcast = useMutation(composeMutations.broadcast());
  const busy = send.isPending || broadcast.isPending;

  // A send whose answer never came is in doubt, not "not sent": its key stays, and the console
  // checks with Catena before it may go again (the same key, once settled as not sent).
  const doubt = sendInDoubt(send.error);
  const check = useQuery({ ...sendQueries.status(doubt?.send_id ?? ''), enabled: doubt !== null });
  const settled = doubt && isSettled(check.data) ? check.data : null;
  const stillInDoubt = doubt !== null && settled === null;
  const sentInDoubt = settled?.state === 'sent' && settled.operation_id ? settled.operation_id : null;
  const settledState = settled?.state;
  useEffect(() => {
    // Settled: Catena has it (the draft is done with), or it refused it (a retry is a new message).
    if (settledState === 'sent') actions.accepted();
    else if (settledState === 'refused') actions.intentSpent();
  }, [settledState, actions]);
  const failedSync = send.data?.status === 'failed' && sent?.operationId === send.data.id;
  const sendAgain = !busy && (stillInDoubt || settledState === 'not_sent' || failedSync);
  const sendHintId = useId();
  const healthWarningId = useId();
  const healthWarning = failingConnectionWarning(connection);
  const shownOperationId = sent?.operationId ?? sentInDoubt;

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
    if (busy || stillInDoubt) return;
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
      setSent(null);
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
          onError: (error) => {
            // In doubt: told beside the Send button (SendCheckNotice), not as a refusal of the form.
            if (sendInDoubt(error)) setSent({ operationId: null, recipientName, sync: request.body.is_sync === true });
            else refused(error, at);
          },
        },
      );
    } else if (request.body.all_drivers && recipients.count !== undefined) {
      setConfirmAll({ body: request.body, idempotencyKey, count: recipients.count });
    } else {
      sendBroadcast(request.body, idempotencyKey);
    }
  }

  function sendBroadcast(body: CreateBroadcastRequest, idempotencyKey: string) {
    const at = values;
    broadcast.mutate(
      { body, idempotencyKey },
      {
        onSuccess: (created) => {
          setConfirmAll(null);
          actions.accepted();
          void navigate({ to: '/broadcasts/$broadcastId', params: { broadcastId: created.id } });
        },
        onError: (error) => {
          setConfirmAll(null);
          refused(error, at);
        },
      },
    );
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
        {/* oxlint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- a keyboard shortcut for the whole form; the Send button stays the control */}
        <form
          noValidate
          onSubmit={submit}
          // Ctrl/⌘+Enter sends from any field (the message box included, where Enter is a new
          // line), through the same submit as the Send button: same checks, same confirmation.
          onKeyDown={(event) => {
            if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.defaultPrevented || event.nativeEvent.isComposing) return;
            event.preventDefault();
            event.currentTarget.requestSubmit();
          }}
          aria-labelledby="compose-heading"
        >
          <Panel title="New message" titleId="compose-heading" description="Written here, delivered through Catena to the driver’s device.">
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
                <QueryStates
                  query={connections}
                  loading="Loading connections…"
                  error={{ title: 'Could not load connections' }}
                  empty={{
                    when: (data) => data.items.length === 0,
                    title: 'No connections yet',
                    body: 'Messages go through a fleet’s connection to its telematics provider. Once a fleet connects, it appears here.',
                  }}
                >
                  {(data) => (
                    <ConnectionField
                      connections={data.items}
                      value={draft.connectionId}
                      onChange={actions.chooseConnection}
                      error={errors.connection}
                      groupRef={connectionGroupRef}
                    />
                  )}
                </QueryStates>
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
                <MessageField connection={connection} value={draft.text} onChange={actions.setText} error={errors.text} textareaRef={textRef} />
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
              {connection && healthWarning ? <FailingConnectionWarning id={healthWarningId} connection={connection} warning={healthWarning} /> : null}
              <p aria-live="polite" className="text-sm font-medium text-slate-700 dark:text-slate-300">
                {countLine(recipients, connection?.name)}
              </p>
              <Button
                type="submit"
                variant="primary"
                disabled={busy || stillInDoubt}
                aria-describedby={describedBy(healthWarning && healthWarningId, sendAgain && sendHintId)}
                aria-keyshortcuts="Control+Enter Meta+Enter"
                title="Send (Ctrl+Enter, or ⌘+Enter on a Mac)"
              >
                <SendIcon className="size-4" />
                {busy ? 'Sending…' : sendAgain ? 'Send again' : single || recipients.count === 0 ? 'Send message' : 'Send broadcast'}
              </Button>
              {sendAgain ? (
                <p id={sendHintId} className="w-full text-right text-xs text-slate-600 dark:text-slate-400">
                  {stillInDoubt
                    ? `${IN_DOUBT_HEADLINE}: sending again waits until the console knows whether Catena got it.`
                    : failedSync
                      ? 'Nothing was delivered: the TSP refused it. Send again sends it as a new message.'
                      : 'Catena never got it, so nothing was sent: Send again sends the same request, at most once.'}
                </p>
              ) : null}
            </div>
            {/* The outcome, where the person just pressed Send (each takes focus when it appears). */}
            {doubt && sent && !sentInDoubt ? (
              <div className="border-t border-slate-200 px-4 py-4 sm:px-5 dark:border-slate-800">
                <SendCheckNotice
                  key={doubt.send_id}
                  status={check.data}
                  settlesAt={doubt.settles_at}
                  error={check.isError ? errorMessage(check.error) : null}
                />
              </div>
            ) : null}
            {sent && shownOperationId ? (
              <div className="border-t border-slate-200 px-4 py-4 sm:px-5 dark:border-slate-800">
                <SentMessage key={shownOperationId} operationId={shownOperationId} recipientName={sent.recipientName} sync={sent.sync} />
              </div>
            ) : null}
          </Panel>
        </form>

        <aside className="space-y-6" aria-label="Sending">
          <Panel title="How sending works" titleId="how-sending-works-heading">
            <ul className="space-y-3 px-4 py-4 text-sm text-slate-600 sm:px-5 dark:text-slate-400">
              <li>
                <span className="font-medium text-slate-900 dark:text-slate-100">One driver</span> gets a single message. Its status shows here, live,
                until the TSP has it.
              </li>
              <li>
                <span className="font-medium text-slate-900 dark:text-slate-100">Several or all drivers</span> get one message each, as a broadcast.
                Its page shows every recipient’s progress.{' '}
                <Link to="/broadcasts" className="font-medium text-brand-700 hover:underline dark:text-brand-300">
                  All broadcasts
                </Link>
              </li>
              <li>
                <span className="font-medium text-slate-900 dark:text-slate-100">Never twice:</span> pressing Send again after an error retries the
                same message, which the console delivers at most once.
              </li>
            </ul>
          </Panel>
        </aside>
      </div>

      {confirmAll && connection ? (
        <AllDriversDialog
          connectionName={connection.name}
          count={confirmAll.count}
          pending={broadcast.isPending}
          onConfirm={() => sendBroadcast(confirmAll.body, confirmAll.idempotencyKey)}
          onCancel={() => setConfirmAll(null)}
        />
      ) : null}
    </div>
  );
}

/** "Send to all 12 drivers of Northwind Freight?": a whole fleet is asked for once more, by name and number. */
function AllDriversDialog({
  connectionName,
  count,
  pending,
  onConfirm,
  onCancel,
}: {
  connectionName: string;
  count: number;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const descriptionId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const drivers = `${formatCount(count)} ${count === 1 ? 'driver' : 'drivers'}`;
  return (
    <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={onCancel} initialFocusRef={cancelRef}>
      <h2 id={titleId} className="text-lg font-semibold text-slate-900 dark:text-white">
        Send to all {drivers} of {connectionName}?
      </h2>
      <p id={descriptionId} className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Every active driver of {connectionName} gets this message: {formatCount(count)} {count === 1 ? 'message' : 'messages'}, one each, as a
        broadcast.
      </p>
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button ref={cancelRef} type="button" onClick={onCancel} className={buttonClasses()}>
          Cancel
        </button>
        <Button variant="primary" disabled={pending} onClick={onConfirm}>
          {pending ? 'Sending…' : `Send to ${drivers}`}
        </Button>
      </div>
    </ConfirmDialog>
  );
}
