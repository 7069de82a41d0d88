import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { connectionFixtures, connectionsWithHealth, healthFixture } from '../../../mocks/fixtures/connection-fixtures.ts';
import { apiErrorResponse } from '../../../mocks/api-error-response.ts';
import { sendMessageRequestSchema, type SendMessageRequest } from '../../../../contracts/message-schemas.ts';
import { AUTH_ERROR_DETAILS, messageOperation, sentMessageOperation } from '../../../mocks/fixtures/message-fixtures.ts';
import { inDoubtDetails, sendStatusFixtures } from '../../../mocks/fixtures/send-fixtures.ts';
import { userFixture } from '../../../mocks/fixtures/user-fixtures.ts';
import { server } from '../../../mocks/node.ts';
import { renderApp } from '../../../test/render.tsx';
import { COMPOSE_STORAGE_KEY, emptyDraft, useComposeStore } from '../compose-draft-store.ts';

function resetComposeStore() {
  useComposeStore.setState({ draft: emptyDraft, senders: {}, intent: null });
}

beforeEach(resetComposeStore);
// Whole flows (pick, type, send, watch it land) through real providers take a few seconds.
vi.setConfig({ testTimeout: 20_000 });

/** The message a Northwind dispatcher sends Tomasz Nowak in the in-doubt stories, as Catena ends up holding it. */
function dockMessage(id: string, status: 'pending' | 'success') {
  const northwind = connectionFixtures.find((candidate) => candidate.name === 'Northwind Freight');
  if (!northwind) throw new Error('no connection fixture Northwind Freight');
  return messageOperation({
    id,
    connection: northwind,
    senderId: userFixture('Erin Kowalski').id,
    recipientId: userFixture('Tomasz Nowak').id,
    text: 'Dock 4 is free.',
    createdMs: Date.now(),
    status,
  });
}

/** Writes `text` to Tomasz Nowak (Northwind Freight) and presses Send. */
async function sendToTomasz(text: string) {
  const rendered = await renderCompose();
  await chooseConnection(rendered.user, 'Northwind Freight');
  await pickDriver(rendered.user, 'Tomasz Nowak');
  await rendered.user.type(messageBox(), text);
  await rendered.user.click(sendButton());
  return rendered;
}

function connectionId(name: string): string {
  const connection = connectionFixtures.find((candidate) => candidate.name === name);
  if (!connection) throw new Error(`no connection fixture ${name}`);
  return connection.id;
}

async function renderCompose() {
  const rendered = renderApp({ route: '/compose' });
  // The first render of a file loads every module: give it time on a busy machine.
  await screen.findByRole('radio', { name: 'Northwind Freight' }, { timeout: 5000 });
  return rendered;
}

async function chooseConnection(user: UserEvent, name: string) {
  await user.click(screen.getByRole('radio', { name }));
}

/** Types part of a name into the recipients' combobox and picks the driver from its list. */
async function pickDriver(user: UserEvent, name: string) {
  const combobox = await screen.findByRole('combobox', { name: 'Find a driver by name' });
  await waitFor(() => expect(combobox).toBeEnabled());
  await user.type(combobox, name.split(' ')[0] ?? name);
  await user.click(await screen.findByRole('option', { name: new RegExp(name) }));
}

function sendButton() {
  return screen.getByRole('button', { name: /^send (message|broadcast)$/i });
}

function messageBox() {
  return screen.getByRole('textbox', { name: 'Message' });
}

function storedDraft(): unknown {
  const raw = localStorage.getItem(COMPOSE_STORAGE_KEY);
  return raw ? (JSON.parse(raw) as { state?: { draft?: unknown } }).state?.draft : undefined;
}

const sentRequests: { body: SendMessageRequest; key: string | null }[] = [];
/** Answers POST /api/messages with `answer` (given what was sent), and records each request. */
function recordMessages(answer: (body: SendMessageRequest) => Response) {
  sentRequests.length = 0;
  server.use(
    http.post('/api/messages', async ({ request }) => {
      const body = sendMessageRequestSchema.parse(await request.json());
      sentRequests.push({ body, key: request.headers.get('idempotency-key') });
      return answer(body);
    }),
  );
}

describe('Compose: the connection', () => {
  it('shows each connection with its TSP and status, and why a paused one cannot send', async () => {
    await renderCompose();

    expect(screen.getByRole('radio', { name: 'Northwind Freight' })).toHaveAccessibleDescription('Samsara NWF-1042 Active');
    const summit = screen.getByRole('radio', { name: 'Summit Transport' });
    expect(summit).toHaveAccessibleDescription(/^Motive SMT-7763 Paused Cannot send: The fleet paused this connection/);
  });

  it('blocks sending through a connection that cannot send, with its reason beside it', async () => {
    const { user } = await renderCompose();
    await chooseConnection(user, 'Summit Transport');
    await pickDriver(user, 'Owen Park');
    await user.type(messageBox(), 'Your reset is approved.');

    await user.click(sendButton());

    const summit = screen.getByRole('radio', { name: 'Summit Transport' });
    expect(summit).toHaveFocus();
    expect(summit).toHaveAccessibleDescription(/Summit Transport cannot send messages now: The fleet paused this connection/);
    expect(screen.getByRole('alert')).toHaveTextContent(/1 problem stops this message/);
  });
});

describe('Compose: connection health', () => {
  it('says in words which connection is failing and why, with a link to its failures', async () => {
    await renderCompose();

    expect(screen.getByRole('radio', { name: 'Coastal Carriers' })).toHaveAccessibleDescription(
      /^Samsara CCX-5120 Active Failing Needs re-authorisation by the fleet: the TSP refused the connection's credentials on the last 5 writes\.$/,
    );
    expect(screen.getByRole('link', { name: 'See failures of Coastal Carriers' })).toHaveAttribute(
      'href',
      `/operations?connection=${connectionId('Coastal Carriers')}&status=failed`,
    );
    // Healthy connections stay quiet.
    expect(screen.queryByRole('link', { name: 'See failures of Northwind Freight' })).not.toBeInTheDocument();
  });

  it('warns next to Send before sending into a failing connection, and still sends once told', async () => {
    const { user } = await renderCompose();
    const warning = 'Coastal Carriers: the last 5 writes failed — the fleet must re-authorise the connection. Messages sent now will fail.';
    expect(screen.queryByText(warning)).not.toBeInTheDocument();

    await chooseConnection(user, 'Coastal Carriers');

    expect(screen.getByText(warning)).toBeInTheDocument();
    await pickDriver(user, 'Darnell Brooks');
    await user.type(messageBox(), 'Please confirm the updated route.');
    expect(sendButton()).toHaveAccessibleDescription(`Writes to this connection are failing. ${warning} See failures`);

    await user.click(sendButton());

    expect(await screen.findByRole('region', { name: 'Sent message' })).toBeInTheDocument();

    await chooseConnection(user, 'Northwind Freight');
    expect(screen.queryByText(/Writes to this connection are failing/)).not.toBeInTheDocument();
  });

  it('shows a degraded connection on its card but does not warn before sending into it', async () => {
    server.use(
      http.get('/api/connections', () => HttpResponse.json({ items: connectionsWithHealth({ 'Northwind Freight': healthFixture('degraded') }) })),
    );
    const { user } = await renderCompose();

    const northwind = screen.getByRole('radio', { name: 'Northwind Freight' });
    expect(northwind).toHaveAccessibleDescription(/^Samsara NWF-1042 Active Degraded The TSP or the network is dropping writes/);
    await chooseConnection(user, 'Northwind Freight');

    // Its writes mostly get through after retries: the link shows every write that met those errors, not failures alone.
    expect(screen.getByRole('link', { name: 'See network and TSP errors of Northwind Freight' })).toHaveAttribute(
      'href',
      `/operations?connection=${connectionId('Northwind Freight')}&error=network&error=tsp`,
    );
    expect(screen.queryByText(/Writes to this connection are failing/)).not.toBeInTheDocument();
    expect(sendButton()).not.toHaveAccessibleDescription(/fail/);
  });
});

describe('Compose: checks before sending', () => {
  it('names a missing recipient and an empty text beside their fields, announces them and focuses the first', async () => {
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');

    await user.click(sendButton());

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('2 problems stop this message from being sent');
    expect(alert).toHaveTextContent('Choose a driver, several drivers, or all drivers of Northwind Freight.');
    expect(alert).toHaveTextContent('Write a message: the text is empty.');

    const combobox = screen.getByRole('combobox', { name: 'Find a driver by name' });
    expect(combobox).toHaveFocus();
    expect(combobox).toBeInvalid();
    expect(combobox).toHaveAccessibleDescription(/Choose a driver, several drivers, or all drivers of Northwind Freight\./);
    expect(messageBox()).toBeInvalid();
    expect(messageBox()).toHaveAccessibleDescription(/Write a message: the text is empty\./);

    // Fixing a field clears its error at once.
    await pickDriver(user, 'Tomasz Nowak');
    expect(screen.getByRole('combobox', { name: 'Find a driver by name' })).toBeValid();
    expect(screen.getByRole('alert')).toHaveTextContent('1 problem stops this message from being sent');
  });

  it('counts characters against the TSP’s limit and refuses a text over it', async () => {
    const { user } = await renderCompose();
    await chooseConnection(user, 'Blue Ridge Logistics');
    await pickDriver(user, 'Caleb Jennings');
    expect(screen.getByText('0 / 1,000 characters (Motive’s limit)')).toBeInTheDocument();

    await user.click(messageBox());
    await user.paste('x'.repeat(1001));
    expect(screen.getByText('1,001 / 1,000 characters: 1 over Motive’s limit')).toBeInTheDocument();

    await user.click(sendButton());
    expect(messageBox()).toHaveFocus();
    expect(messageBox()).toHaveAccessibleDescription(/Motive takes at most 1,000 characters; this text has 1,001\./);
  });

  it('refuses a remembered sender who is not a dispatcher of the connection', async () => {
    useComposeStore.setState({ senders: { [connectionId('Northwind Freight')]: userFixture('Tomasz Nowak').id } });
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    await pickDriver(user, 'Tomasz Nowak');
    await user.type(messageBox(), 'Hello');

    await user.click(sendButton());

    const sender = screen.getByRole('combobox', { name: 'Sender' });
    expect(sender).toHaveFocus();
    expect(sender).toHaveAccessibleDescription(/The sender must be a dispatcher of Northwind Freight: choose one\./);
    await user.selectOptions(sender, 'Erin Kowalski');
    expect(sender).toBeValid();
  });

  it('lists inactive drivers as such and does not let them be picked', async () => {
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    const combobox = await screen.findByRole('combobox', { name: 'Find a driver by name' });
    await waitFor(() => expect(combobox).toBeEnabled());
    await user.type(combobox, 'Gary');

    const gary = screen.getByRole('option', { name: /Gary Pruitt/ });
    expect(gary).toHaveTextContent('Inactive');
    expect(gary).toHaveAttribute('aria-disabled', 'true');
    await user.click(gary);
    expect(screen.queryByRole('list', { name: 'Chosen drivers' })).not.toBeInTheDocument();

    // The keyboard cannot pick it either.
    await user.keyboard('{ArrowDown}{Enter}');
    expect(screen.queryByRole('list', { name: 'Chosen drivers' })).not.toBeInTheDocument();
  });
});

describe('Compose: the server’s refusals', () => {
  it.each([
    {
      code: 'sender_not_dispatcher',
      field: 'sender_id',
      message: 'The sender must be a dispatcher of Northwind Freight.',
      control: () => screen.getByRole('combobox', { name: 'Sender' }),
    },
    {
      code: 'recipient_inactive',
      field: 'recipient_id',
      message: 'Inactive at the TSP, so the message would fail: Tomasz Nowak.',
      control: () => screen.getByRole('combobox', { name: 'Find a driver by name' }),
    },
    {
      code: 'text_too_long',
      field: 'message_text',
      message: 'samsara takes at most 2500 characters; this text has 2600.',
      control: () => messageBox(),
    },
    {
      code: 'connection_inactive',
      field: 'connection_id',
      message: 'Northwind Freight (samsara) cannot take messages now: paused',
      control: () => screen.getByRole('radio', { name: 'Northwind Freight' }),
    },
  ])('shows $code beside its field, focuses it and keeps the draft', async ({ code, field, message, control }) => {
    server.use(http.post('/api/messages', () => HttpResponse.json({ error: { code, message, details: { field } } }, { status: 422 })));
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    await pickDriver(user, 'Tomasz Nowak');
    await user.type(messageBox(), 'Trailer 87696 needs a tire check.');

    await user.click(sendButton());

    await waitFor(() => expect(control()).toHaveFocus());
    expect(control()).toHaveAccessibleDescription(new RegExp(message.replace(/[.()]/g, '\\$&')));
    expect(screen.getByRole('alert')).toHaveTextContent(message);
    expect(messageBox()).toHaveValue('Trailer 87696 needs a tire check.');
  });

  it('shows invalid_input’s fields beside them', async () => {
    server.use(
      http.post('/api/messages', () =>
        HttpResponse.json(
          {
            error: {
              code: 'invalid_input',
              message: 'The message is not valid — message_text: Write a message: the text is empty.',
              details: [{ field: 'message_text', message: 'Write a message: the text is empty.' }],
            },
          },
          { status: 400 },
        ),
      ),
    );
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    await pickDriver(user, 'Tomasz Nowak');
    await user.type(messageBox(), 'Hello');

    await user.click(sendButton());

    await waitFor(() => expect(messageBox()).toHaveFocus());
    expect(messageBox()).toHaveAccessibleDescription(/Write a message: the text is empty\./);
  });
});

describe('Compose: the draft stays on this device', () => {
  it('survives a reload: text, connection, recipient and priority', async () => {
    const first = await renderCompose();
    await chooseConnection(first.user, 'Northwind Freight');
    await pickDriver(first.user, 'Tomasz Nowak');
    await first.user.type(messageBox(), 'Load #57833 is ready at dock 20.');
    await first.user.click(screen.getByRole('radio', { name: 'High' }));
    first.unmount();

    // A reload: nothing in memory, only what the device kept.
    const kept = localStorage.getItem(COMPOSE_STORAGE_KEY);
    resetComposeStore();
    expect(useComposeStore.getState().draft.text).toBe('');
    if (kept) localStorage.setItem(COMPOSE_STORAGE_KEY, kept);
    await useComposeStore.persist.rehydrate();
    await renderCompose();

    expect(messageBox()).toHaveValue('Load #57833 is ready at dock 20.');
    expect(screen.getByRole('radio', { name: 'Northwind Freight' })).toBeChecked();
    expect(await screen.findByRole('list', { name: 'Chosen drivers' })).toHaveTextContent('Tomasz Nowak');
    expect(screen.getByRole('radio', { name: 'High' })).toBeChecked();
  });

  it('keeps the draft when sending fails, and retries with the same Idempotency-Key', async () => {
    recordMessages(() =>
      HttpResponse.json({ error: { code: 'upstream_unreachable', message: 'Catena did not answer within 10 s.' } }, { status: 503 }),
    );
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    await pickDriver(user, 'Tomasz Nowak');
    await user.type(messageBox(), 'Delivery confirmed at warehouse B.');

    await user.click(sendButton());

    expect(await screen.findByRole('alert')).toHaveTextContent(/Catena could not be reached, so nothing was sent\. Your draft is kept/);
    expect(messageBox()).toHaveValue('Delivery confirmed at warehouse B.');
    expect(storedDraft()).toMatchObject({ text: 'Delivery confirmed at warehouse B.' });

    await user.click(sendButton());
    await waitFor(() => expect(sentRequests).toHaveLength(2));
    expect(sentRequests[1]?.key).toBe(sentRequests[0]?.key);
    expect(sentRequests[0]?.body).toMatchObject({
      connection_id: connectionId('Northwind Freight'),
      sender_id: userFixture('Erin Kowalski').id,
      recipient_id: userFixture('Tomasz Nowak').id,
      message_text: 'Delivery confirmed at warehouse B.',
      priority: 'medium',
    });
  });

  it('clears the text once the server accepted it, and follows the message live until it is delivered', async () => {
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    await pickDriver(user, 'Tomasz Nowak');
    await user.type(messageBox(), 'Weather alert: high winds on I-55.');

    await user.click(sendButton());

    const sent = await screen.findByRole('region', { name: 'Sent message' });
    expect(within(sent).getByText('Pending')).toBeInTheDocument();
    expect(within(sent).getByRole('status')).toHaveTextContent('Catena accepted the message for Tomasz Nowak and is delivering it.');
    // Beside the Send button, and where focus is now.
    expect(sent).toHaveFocus();
    expect(sendButton().closest('form')).toContainElement(sent);
    expect(messageBox()).toHaveValue('');
    // Recipients are cleared too (the next driver picked is a new message); connection and sender stay.
    expect(storedDraft()).toMatchObject({ text: '', recipientIds: [], connectionId: connectionId('Northwind Freight') });
    expect(screen.getByText('No recipient yet')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove Tomasz Nowak' })).not.toBeInTheDocument();
    await pickDriver(user, 'Tomasz Nowak');
    expect(screen.getByText('Sends 1 message')).toBeInTheDocument();

    expect(await within(sent).findByText('Succeeded', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(within(sent).getByRole('status')).toHaveTextContent('Delivered: the TSP accepted the message for Tomasz Nowak.');
    const log = within(sent).getByRole('link', { name: 'Open its operation log' });
    expect(log.getAttribute('href')).toMatch(/^\/operations\?op=[0-9a-f-]{36}$/);
    // The empty, fresh draft is not flagged as an error.
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the text when a sync send fails at the TSP (502), and says so', async () => {
    // Coastal Carriers' credentials were revoked: the TSP refuses the message, and a sync send answers 502 with it failed.
    recordMessages((body) =>
      HttpResponse.json(sentMessageOperation(body, { status: 'failed', error: { type: 'auth', details: AUTH_ERROR_DETAILS } }), { status: 502 }),
    );
    const { user } = await renderCompose();
    await chooseConnection(user, 'Coastal Carriers');
    await pickDriver(user, 'Darnell Brooks');
    await user.type(messageBox(), 'Please confirm the updated route.');
    await user.click(screen.getByRole('radio', { name: /Immediate \(sync\)/ }));

    await user.click(sendButton());

    const sent = await screen.findByRole('region', { name: 'Sent message' });
    expect(within(sent).getByText('Failed')).toBeInTheDocument();
    expect(within(sent).getByText('Auth error')).toBeInTheDocument();
    expect(within(sent).getByRole('status')).toHaveTextContent(
      /Not delivered: the TSP refused the message for Darnell Brooks, so nothing was delivered\. Nothing is retried/,
    );
    expect(sent).toHaveFocus();
    expect(messageBox()).toHaveValue('Please confirm the updated route.');
    expect(storedDraft()).toMatchObject({ text: 'Please confirm the updated route.' });
    expect(sentRequests.map((request) => request.body.is_sync)).toEqual([true]);
    const again = screen.getByRole('button', { name: 'Send again' });
    // After the warning that Coastal Carriers' writes are failing (see 'Compose: connection health').
    expect(again).toHaveAccessibleDescription(/Nothing was delivered: the TSP refused it\. Send again sends it as a new message\.$/);
  });

  it('a send in doubt (504) keeps the text and its key, says it is not confirmed yet, and sends again with that key once settled as not sent', async () => {
    let checks = 0;
    server.use(
      http.get('/api/sends/:id', () => {
        checks += 1;
        return HttpResponse.json(checks === 1 ? sendStatusFixtures.inDoubt() : sendStatusFixtures.notSent());
      }),
    );
    let posts = 0;
    recordMessages(() => {
      posts += 1;
      return posts === 1
        ? apiErrorResponse(504, 'send_in_doubt', 'Catena did not answer in time; the console is checking.', { details: inDoubtDetails() })
        : HttpResponse.json(dockMessage('c0a57a1e-0000-4a11-8a11-0000000000d1', 'pending'), { status: 202 });
    });
    const { user } = await sendToTomasz('Dock 4 is free.');

    const notice = await screen.findByText('Not confirmed yet — checking with Catena');
    await waitFor(() => expect(notice.closest('[tabindex="-1"]')).toHaveFocus());
    expect(screen.queryByText(/nothing was sent/i)).not.toBeInTheDocument();
    expect(messageBox()).toHaveValue('Dock 4 is free.');
    const waiting = screen.getByRole('button', { name: 'Send again' });
    expect(waiting).toBeDisabled();
    expect(waiting).toHaveAccessibleDescription(/^Not confirmed yet — checking with Catena: sending again waits/);

    expect(await screen.findByText('Confirmed: Catena never got it — nothing was sent', {}, { timeout: 5000 })).toBeInTheDocument();
    const again = screen.getByRole('button', { name: 'Send again' });
    expect(again).toBeEnabled();
    await user.click(again);

    expect(await screen.findByRole('region', { name: 'Sent message' })).toBeInTheDocument();
    expect(sentRequests).toHaveLength(2);
    expect(sentRequests[1]?.key).toBe(sentRequests[0]?.key);
    expect(messageBox()).toHaveValue('');
  }, 15_000);

  it('a send in doubt that Catena had after all shows the message as sent, without sending it again', async () => {
    const operation = dockMessage('c0a57a1e-0000-4a11-8a11-0000000000d2', 'success');
    server.use(
      http.get('/api/sends/:id', () => HttpResponse.json(sendStatusFixtures.sent(operation.id))),
      http.get(`/api/operations/${operation.id}`, () => HttpResponse.json(operation)),
    );
    recordMessages(() => apiErrorResponse(504, 'send_in_doubt', 'Catena did not answer in time.', { details: inDoubtDetails() }));
    await sendToTomasz('Dock 4 is free.');

    const sent = await screen.findByRole('region', { name: 'Sent message' });
    expect(within(sent).getByRole('status')).toHaveTextContent('Delivered: the TSP accepted the message for Tomasz Nowak.');
    await waitFor(() => expect(messageBox()).toHaveValue(''));
    expect(sentRequests).toHaveLength(1);
  });
});

describe('Compose: recipients', () => {
  it('always says how many messages it sends, and sends several as a broadcast', async () => {
    const { user, router } = await renderCompose();
    await chooseConnection(user, 'Coastal Carriers');
    expect(screen.getByText('No recipient yet')).toBeInTheDocument();

    await pickDriver(user, 'Darnell Brooks');
    expect(screen.getByText('Sends 1 message')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /Immediate \(sync\)/ })).toBeEnabled();

    await pickDriver(user, 'Keisha Thompson');
    expect(screen.getByText('Sends 2 messages: one to each driver, as a broadcast')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /Immediate \(sync\)/ })).toBeDisabled();
    expect(screen.getByText('Immediate delivery is for a single driver only.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove Keisha Thompson' }));
    expect(screen.getByText('Sends 1 message')).toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'All drivers of Coastal Carriers' }));
    expect(await screen.findByText('Sends 2 messages: one to each active driver of Coastal Carriers')).toBeInTheDocument();

    await user.type(messageBox(), 'Reminder: update your hours of service.');
    await user.click(sendButton());

    // A whole fleet is confirmed first, by its name and the number of drivers.
    const confirm = await screen.findByRole('alertdialog', { name: 'Send to all 2 drivers of Coastal Carriers?' });
    expect(confirm).toHaveAccessibleDescription(/Every active driver of Coastal Carriers gets this message: 2 messages/);
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Compose' })).toBeInTheDocument();

    await user.click(sendButton());
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Send to 2 drivers' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Broadcast to all drivers of Coastal Carriers' })).toBeInTheDocument();
    expect(router.state.location.pathname).toMatch(/^\/broadcasts\/[0-9a-f-]{36}$/);
    expect(storedDraft()).toMatchObject({ text: '' });
  });
});

describe('Compose: the keyboard', () => {
  it('sends with Ctrl+Enter from the message box, and with ⌘+Enter, through the same checks as the Send button', async () => {
    recordMessages(() => HttpResponse.json(dockMessage(crypto.randomUUID(), 'pending'), { status: 202 }));
    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    expect(sendButton()).toHaveAttribute('aria-keyshortcuts', 'Control+Enter Meta+Enter');

    // Nothing to send yet: the shortcut runs the checks, like a press on Send, and sends nothing.
    await user.click(messageBox());
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(screen.getByRole('alert')).toHaveTextContent('2 problems stop this message from being sent');
    expect(screen.getByRole('combobox', { name: 'Find a driver by name' })).toHaveFocus();
    expect(sentRequests).toHaveLength(0);

    await pickDriver(user, 'Tomasz Nowak');
    await user.click(messageBox());
    await user.keyboard('Dock 4 is free.');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByRole('region', { name: 'Sent message' })).toBeInTheDocument();
    expect(sentRequests).toHaveLength(1);
    expect(sentRequests[0]?.body).toMatchObject({ message_text: 'Dock 4 is free.' });
    // A plain Enter in the message box is a new line, never a send.
    expect(messageBox()).toHaveValue('');

    await pickDriver(user, 'Tomasz Nowak');
    await user.click(messageBox());
    await user.keyboard('Gate 2.{Enter}Bay 5.');
    expect(sentRequests).toHaveLength(1);
    expect(messageBox()).toHaveValue('Gate 2.\nBay 5.');
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    await waitFor(() => expect(sentRequests).toHaveLength(2));
  });
});

describe('Compose: a reply', () => {
  it('offers the driver’s delivered messages, for one driver only, and sends the reply’s id', async () => {
    const northwind = connectionFixtures.find((connection) => connection.name === 'Northwind Freight')!;
    const tomasz = userFixture('Tomasz Nowak').id;
    const erin = userFixture('Erin Kowalski').id;
    const delivered = (id: string, senderId: string, recipientId: string, text: string, minutesAgo: number) =>
      messageOperation({
        id,
        connection: northwind,
        senderId,
        recipientId,
        text,
        createdMs: Date.now() - minutesAgo * 60_000,
        status: 'success',
      });
    const toTomasz = delivered('a1000000-0000-4000-8000-000000000001', erin, tomasz, 'Load #57833 is ready at dock 20.', 30);
    const fromTomasz = delivered('a1000000-0000-4000-8000-000000000002', tomasz, erin, 'On my way, 20 min out.', 12);
    const toSomeoneElse = delivered('a1000000-0000-4000-8000-000000000003', erin, userFixture('Gary Pruitt').id, 'Tire check.', 5);
    server.use(
      http.get('/api/operations', ({ request }) => {
        const params = new URL(request.url).searchParams;
        expect(params.get('resource')).toBe('message');
        expect(params.get('status')).toBe('success');
        expect(params.get('connection_id')).toBe(northwind.id);
        return HttpResponse.json({ items: [toSomeoneElse, fromTomasz, toTomasz], next_cursor: null });
      }),
    );
    const accepted = messageOperation({
      id: 'a1000000-0000-4000-8000-000000000009',
      connection: northwind,
      senderId: erin,
      recipientId: tomasz,
      text: 'Thanks!',
      createdMs: Date.now(),
      status: 'pending',
    });
    recordMessages(() => HttpResponse.json(accepted, { status: 202 }));

    const { user } = await renderCompose();
    await chooseConnection(user, 'Northwind Freight');
    expect(screen.queryByRole('combobox', { name: 'In reply to' })).not.toBeInTheDocument();
    await pickDriver(user, 'Tomasz Nowak');

    const reply = await screen.findByRole('combobox', { name: 'In reply to' });
    await waitFor(() => expect(within(reply).getAllByRole('option')).toHaveLength(3));
    expect(within(reply).getByRole('option', { name: /^From Tomasz, 12 min ago: “On my way, 20 min out\.”$/ })).toBeInTheDocument();
    expect(within(reply).getByRole('option', { name: /^To Tomasz, 30 min ago/ })).toBeInTheDocument();

    // All drivers is a broadcast: no reply there.
    const all = screen.getByRole('checkbox', { name: 'All drivers of Northwind Freight' });
    await user.click(all);
    expect(screen.queryByRole('combobox', { name: 'In reply to' })).not.toBeInTheDocument();
    await user.click(all);

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'In reply to' }),
      within(screen.getByRole('combobox', { name: 'In reply to' })).getByRole('option', { name: /^From Tomasz/ }),
    );
    await user.type(messageBox(), 'Thanks!');
    await user.click(sendButton());

    await waitFor(() => expect(sentRequests).toHaveLength(1));
    expect(sentRequests[0]?.body).toMatchObject({ recipient_id: tomasz, reply_to_message_id: fromTomasz.resource_id });
  });
});
