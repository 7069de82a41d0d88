import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { useState, type ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OperationDetail } from '../../../../../contracts/operation-schemas.ts';
import { apiErrorResponse } from '../../../../mocks/api-error-response.ts';
import { deliveredResend, operationDetailFixtures } from '../../../../mocks/fixtures/operation-detail-fixtures.ts';
import { inDoubtDetails, sendStatusFixtures } from '../../../../mocks/fixtures/send-fixtures.ts';
import { viewerSession } from '../../../../mocks/fixtures/session-fixtures.ts';
import { resetOperationDetailHandlers } from '../../../../mocks/handlers/operation-detail-handlers.ts';
import { server } from '../../../../mocks/node.ts';
import { usePreferencesStore } from '../../../../stores/preferences-store.ts';
import { renderWithProviders } from '../../../../test/render.tsx';
import { OperationDrawer } from './operation-drawer.tsx';

const fixtures = operationDetailFixtures;

beforeEach(() => resetOperationDetailHandlers());
afterEach(() => server.events.removeAllListeners('request:start'));

/** Stands in for the Operations page: a row-like opener, and the open operation as state (the page keeps it in the URL). */
function Harness({ operationId }: { operationId: string }) {
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <>
      <button type="button" onClick={() => setOpenId(operationId)}>
        Open operation
      </button>
      {openId ? <OperationDrawer operationId={openId} onClose={() => setOpenId(null)} onOpenOperation={setOpenId} /> : null}
    </>
  );
}

/** The drawer links to other pages (a broadcast): it is drawn inside a router, as on the Operations page. */
function renderInRouter(ui: ReactElement) {
  const router = createRouter({
    routeTree: createRootRoute({ component: () => ui }),
    history: createMemoryHistory({ initialEntries: ['/operations'] }),
  });
  return renderWithProviders(<RouterProvider router={router} />);
}

async function openDrawer(operation: OperationDetail) {
  const result = renderInRouter(<Harness operationId={operation.id} />);
  const opener = await screen.findByRole('button', { name: 'Open operation' });
  await result.user.click(opener);
  const drawer = await screen.findByRole('dialog', { name: /^Operation / });
  // The summary is the first thing shown once the operation has loaded.
  await within(drawer).findByRole('region', { name: 'Summary' });
  return { ...result, drawer, opener };
}

function section(drawer: HTMLElement, name: RegExp | string) {
  return within(drawer).getByRole('region', { name });
}

/** Records the Idempotency-Key of every resend request. */
function recordResendKeys(): string[] {
  const keys: string[] = [];
  server.events.on('request:start', ({ request }) => {
    if (request.method === 'POST' && request.url.endsWith('/resend')) keys.push(request.headers.get('idempotency-key') ?? '');
  });
  return keys;
}

describe('OperationDrawer: untrusted text', () => {
  it("shows markup in the message and in the TSP's error details as the text it is", async () => {
    const markup = '<script>window.__pwned = true</script> and <img src=x onerror="window.__pwned = true">';
    const base = fixtures.coastalAuth;
    const hostile: OperationDetail = structuredClone(base);
    hostile.payload.message_text = markup;
    for (const log of hostile.logs) log.error_details = `TSP said: ${markup}`;
    server.use(http.get(`/api/operations/${hostile.id}`, () => HttpResponse.json(hostile)));
    const { drawer } = await openDrawer(hostile);
    expect(within(drawer).getAllByText(markup, { exact: false }).length).toBeGreaterThan(0);
    expect(within(drawer).getByText(`TSP said: ${markup}`, { exact: false })).toBeInTheDocument();
    expect(drawer.querySelector('img, script')).toBeNull();
    expect(Reflect.get(window, '__pwned')).toBeUndefined();
  });
});

describe('OperationDrawer: what happened', () => {
  it('is a labelled dialog with the facts, each id ready to copy', async () => {
    const { drawer, user } = await openDrawer(fixtures.coastalAuth);

    expect(drawer).toHaveAttribute('aria-modal', 'true');
    expect(drawer).toHaveAccessibleName('Operation Create message');
    const facts = within(drawer).getAllByRole('definition');
    expect(facts.map((fact) => fact.textContent)).toEqual(
      expect.arrayContaining(['Failed', 'Message', 'Create', 'Samsara', 'Coastal CarriersCCX-5120']),
    );
    expect(within(drawer).getByText(fixtures.coastalAuth.id)).toBeInTheDocument();
    expect(within(drawer).getByText('None: the write failed, so Catena made no record.')).toBeInTheDocument();
    expect(within(drawer).getByText('None: the write failed, so Samsara made no record.')).toBeInTheDocument();

    await user.click(within(drawer).getByRole('button', { name: 'Copy operation id' }));

    expect(await navigator.clipboard.readText()).toBe(fixtures.coastalAuth.id);
    expect(within(drawer).getByRole('button', { name: 'Copy operation id' })).toHaveTextContent('Copied');
    expect(screen.getAllByRole('status').map((region) => region.textContent)).toContain('Copied operation id');
  });

  it('says "None yet" for the ids only while the write may still succeed', async () => {
    const { drawer } = await openDrawer(fixtures.prairiePending);

    expect(within(drawer).getByText('None yet: Catena sets it when the write succeeds.')).toBeInTheDocument();
    expect(within(drawer).queryByText(/the write failed/)).not.toBeInTheDocument();
  });

  it("reads a driver's reply as the driver's: from the driver, not sent from this console", async () => {
    const base = fixtures.coastalAuth;
    const reply: OperationDetail = {
      ...structuredClone(base),
      sent_by: null,
      payload: { ...base.payload, sender_id: base.payload.recipient_id, recipient_id: base.payload.sender_id },
    };
    server.use(http.get(`/api/operations/${reply.id}`, () => HttpResponse.json(reply)));
    const { drawer } = await openDrawer(reply);

    const facts = () =>
      within(drawer)
        .getAllByRole('definition')
        .map((fact) => fact.textContent);
    await waitFor(() => expect(facts()).toContain("Darnell Brooks (driver) · a driver's reply"));
    expect(facts()).not.toContain('Not sent from this console');
    expect(within(drawer).getByText('The driver, not this console')).toBeInTheDocument();
    const table = within(section(drawer, 'Payload')).getByRole('table');
    expect(within(table).getByRole('row', { name: /^Sender/ })).toHaveTextContent(/Darnell Brooks\s*Driver/);
  });

  it('auth: says the fleet must re-authorise the connection, and that a resend fails until then', async () => {
    const { drawer } = await openDrawer(fixtures.coastalAuth);

    expect(section(drawer, 'Summary')).toHaveTextContent("Failed on the first attempt: Samsara rejected the connection's credentials (HTTP 401).");
    const card = within(section(drawer, /what went wrong/i)).getByRole('article', {
      name: "Samsara rejected the fleet's credentials",
    });
    expect(card).toHaveTextContent('Auth error');
    expect(card).toHaveTextContent(/Who must act\s*The fleet \(Coastal Carriers\)/);
    expect(card).toHaveTextContent(
      'What to doAsk Coastal Carriers to re-authorise this connection with Samsara (through Catena Connect); then resend.',
    );
    expect(card).toHaveTextContent(/Will fail again\. Resending fails the same way until the fleet has re-authorised/);
  });

  it('validation: names the field the TSP rejected and says the request must change', async () => {
    const { drawer } = await openDrawer(fixtures.northwindTooLong);

    const card = within(section(drawer, /what went wrong/i)).getByRole('article', {
      name: 'Samsara rejected the message text',
    });
    expect(card).toHaveTextContent('(message_text)');
    expect(card).toHaveTextContent('Whoever sends the message: the request itself must change.');
    expect(card).toHaveTextContent(/Change the message text \(for example shorten it to what Samsara accepts\)/);
    expect(card).toHaveTextContent(/Will fail again\. Resend sends the same payload unchanged/);
  });

  it('validation: an inactive recipient is named as the recipient', async () => {
    const { drawer } = await openDrawer(fixtures.northwindInactiveRecipient);

    const card = within(section(drawer, /what went wrong/i)).getByRole('article', { name: 'Samsara rejected the recipient' });
    expect(card).toHaveTextContent(/Check the recipient: they may not exist on this connection or may be deactivated/);
    // The payload shows who that is: a Catena id with the person's name.
    const payload = within(section(drawer, 'Payload')).getByRole('table', { name: /what we asked catena/i });
    expect(within(payload).getByRole('row', { name: /^Recipient/ })).toHaveTextContent(/Gary Pruitt\s*Driver · inactive/);
  });

  it('network: usually heals, and a resend may reach the driver twice', async () => {
    const { drawer } = await openDrawer(fixtures.prairieNetwork);

    expect(section(drawer, 'Summary')).toHaveTextContent(
      'Failed after 5 attempts over 17 s: Geotab could not be reached each time (network errors).',
    );
    const card = within(section(drawer, /what went wrong/i)).getByRole('article', { name: 'Catena could not reach Geotab' });
    expect(card).toHaveTextContent(/usually heals on its own/);
    expect(card).toHaveTextContent(/May duplicate\. The message may already have reached the driver/);
  });

  it('tsp: the provider is degraded; resending is safe once it has recovered', async () => {
    const { drawer } = await openDrawer(fixtures.blueRidgeOutage);

    expect(section(drawer, 'Summary')).toHaveTextContent('Failed after 5 attempts over 31 s: Motive answered 503 each time.');
    const card = within(section(drawer, /what went wrong/i)).getByRole('article', {
      name: 'Motive answered with an error (HTTP 503)',
    });
    expect(card).toHaveTextContent(/Motive is degraded/);
    expect(card).toHaveTextContent(/Safe after recovery\./);
  });

  it('summarises a delivery after retries without explaining errors that no longer matter', async () => {
    const { drawer } = await openDrawer(fixtures.northwindRetried);

    expect(section(drawer, 'Summary')).toHaveTextContent('Delivered after 3 attempts over 7 s; the first 2 hit network errors.');
    expect(within(drawer).queryByRole('region', { name: /what went wrong/i })).not.toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: /resend/i })).not.toBeInTheDocument();
  });

  it('summarises a pending retry and says which attempt Catena is on', async () => {
    const { drawer } = await openDrawer(fixtures.prairiePending);

    expect(section(drawer, 'Summary')).toHaveTextContent('Attempt 2 failed with a network error; Catena is retrying (attempt 3 of 5).');
    expect(section(drawer, /^Attempts/)).toHaveTextContent('Catena is retrying (attempt 3 of 5)…');
  });

  it('lists every attempt: time in the chosen display, outcome, error type, HTTP status, details and the gap', async () => {
    usePreferencesStore.setState({ timeDisplay: 'utc' });
    const { drawer } = await openDrawer(fixtures.blueRidgeOutage);

    const attempts = within(section(drawer, /^Attempts/)).getAllByRole('listitem');
    expect(attempts).toHaveLength(5);
    const [first, second] = attempts;
    expect(within(first!).getByRole('heading', { name: 'Attempt 1' })).toBeInTheDocument();
    expect(first).toHaveTextContent('Failed');
    expect(first).toHaveTextContent('TSP error');
    expect(first).toHaveTextContent('HTTP 503');
    expect(first).toHaveTextContent(/\d\d:\d\d:\d\d UTC/);
    expect(first).toHaveTextContent('0.5 s after Catena accepted it');
    expect(first).toHaveTextContent('Error details: Motive answered 503 Service Unavailable');
    expect(second).toHaveTextContent('2 s after attempt 1');
    expect(within(first!).getByText(/Response headers \(2\)/)).toBeInTheDocument();
  });

  it('shows what we asked (with names) beside what Catena sent to the TSP, and the raw JSON to copy', async () => {
    const { drawer, user } = await openDrawer(fixtures.coastalAuth);

    const payload = section(drawer, 'Payload');
    const table = within(payload).getByRole('table', { name: 'What we asked Catena, and what Catena sent to Samsara' });
    const sender = within(table).getByRole('row', { name: /^Sender/ });
    expect(sender).toHaveTextContent('Marisol Vega');
    expect(sender).toHaveTextContent(String(fixtures.coastalAuth.payload.sender_id));
    expect(sender).toHaveTextContent('4419027');
    expect(within(table).getByRole('row', { name: /^Recipient/ })).toHaveTextContent(/Darnell Brooks.*5530184/);

    await user.click(within(payload).getByRole('button', { name: 'Copy payload JSON' }));
    expect(JSON.parse(await navigator.clipboard.readText())).toEqual(fixtures.coastalAuth.payload);
  });

  it('says when Catena could not resolve a TSP id', async () => {
    const unresolved: OperationDetail = {
      ...fixtures.coastalAuth,
      payload: { ...fixtures.coastalAuth.payload, source_recipient_id: null },
    };
    server.use(http.get(`/api/operations/${unresolved.id}`, () => HttpResponse.json(unresolved)));
    const { drawer } = await openDrawer(unresolved);

    const table = within(section(drawer, 'Payload')).getByRole('table');
    expect(within(table).getByRole('row', { name: /^Recipient/ })).toHaveTextContent(
      'Not resolved: Catena found no Samsara user for this recipient.',
    );
  });
});

describe('OperationDrawer: resend', () => {
  it('asks first, says it will fail again after auth, then links the new operation, which the drawer can open', async () => {
    const keys = recordResendKeys();
    const { drawer, user } = await openDrawer(fixtures.coastalAuth);

    const resend = await within(drawer).findByRole('button', { name: 'Resend message…' });
    await user.click(resend);

    const confirm = screen.getByRole('alertdialog', { name: 'Resend this message?' });
    expect(confirm).toHaveAccessibleDescription(/from Marisol Vega to Darnell Brooks .* through Coastal Carriers \(Samsara\)/);
    expect(confirm).toHaveTextContent('Resending will fail again unless the fleet has re-authorised the connection since.');
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();

    await user.click(within(confirm).getByRole('button', { name: 'Resend message' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    const outcome = await within(drawer).findByRole('status', { name: 'Resent as a new operation.' });
    await waitFor(() => expect(outcome).toHaveFocus());
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    // The server's chain now holds the resend; nothing offers to send it a third time.
    const chain = await within(drawer).findByRole('region', { name: 'Sends of this message (2)' });
    expect(within(chain).getAllByRole('listitem')[0]).toHaveTextContent(/First send c0a57a1e….*\(this operation\).*Failed/);
    expect(within(drawer).queryByRole('button', { name: /^Resend (message|again)…$/ })).not.toBeInTheDocument();

    await user.click(within(outcome).getByRole('button', { name: /^Open the resend [0-9a-f]{8}…$/ }));

    const summary = await within(drawer).findByText('Waiting for the first attempt: Catena has accepted the operation and queued it.');
    expect(summary).toBeInTheDocument();
    const back = within(drawer).getByRole('button', { name: 'First send c0a57a1e…' });
    expect(back.closest('li')).toHaveTextContent('Failed');
    expect(drawer).toHaveFocus();

    await user.click(back);
    expect(await within(drawer).findByText(/^(Being|Already) resent as [0-9a-f]{8} \((Pending|Delivered)\)$/)).toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: /^Resend (message|again)…$/ })).not.toBeInTheDocument();
  });

  it('keeps the confirmation open with the reason when the resend fails, and retries with the same key', async () => {
    const keys = recordResendKeys();
    server.use(
      http.post(
        '/api/operations/:id/resend',
        () => HttpResponse.json({ error: { code: 'upstream_unreachable', message: 'Catena did not answer in time.' } }, { status: 503 }),
        { once: true },
      ),
    );
    const { drawer, user } = await openDrawer(fixtures.prairieNetwork);
    await user.click(await within(drawer).findByRole('button', { name: 'Resend message…' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Resend this message?' });
    expect(confirm).toHaveTextContent('Check first: the driver may already have this message.');

    await user.click(within(confirm).getByRole('button', { name: 'Resend message' }));

    const alert = await within(confirm).findByRole('alert');
    expect(alert).toHaveTextContent('The resend did not go through.');
    expect(alert).toHaveTextContent('Catena did not answer in time.');
    expect(alert).toHaveTextContent('Nothing was sent. Try again in a moment.');

    await user.click(within(confirm).getByRole('button', { name: 'Try again' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(await within(drawer).findByRole('region', { name: 'Sends of this message (2)' })).toBeInTheDocument();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('offers no retry when the server says the operation cannot be resent', async () => {
    server.use(
      http.post('/api/operations/:id/resend', () =>
        HttpResponse.json(
          { error: { code: 'not_resendable', message: 'Only failed operations can be resent; this one is success.' } },
          { status: 409 },
        ),
      ),
    );
    const { drawer, user } = await openDrawer(fixtures.northwindTooLong);
    await user.click(await within(drawer).findByRole('button', { name: 'Resend message…' }));
    const confirm = screen.getByRole('alertdialog');
    expect(confirm).toHaveTextContent('Resending will fail again: the message itself was rejected.');

    await user.click(within(confirm).getByRole('button', { name: 'Resend message' }));

    expect(await within(confirm).findByRole('alert')).toHaveTextContent('this one is success');
    expect(within(confirm).queryByRole('button', { name: /resend message|try again/i })).not.toBeInTheDocument();
    await user.click(within(confirm).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('is not offered to a role that may not resend', async () => {
    server.use(http.get('/api/session', () => HttpResponse.json(viewerSession)));
    const { drawer } = await openDrawer(fixtures.coastalAuth);

    expect(await within(drawer).findByText(/Resending needs the Admin, Dispatcher or Support role/)).toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: /resend/i })).not.toBeInTheDocument();
  });

  it('is not offered for what is not a failed message', async () => {
    const { drawer, user } = await openDrawer(fixtures.vehicleUpdate);

    expect(within(drawer).queryByRole('button', { name: /resend/i })).not.toBeInTheDocument();
    // Read as a vehicle record; the raw payload is one click away.
    expect(within(section(drawer, 'Payload')).getByRole('region', { name: /^Vehicle/ })).toBeVisible();
    await user.click(within(drawer).getByText('Raw payload (JSON)'));
    expect(within(section(drawer, 'Payload')).getByText(/"license_plate_number": "KS 4471 TR"/)).toBeVisible();
  });
});

describe('OperationDrawer: chain, sender and verdict', () => {
  it('lists every send of the message, and says it was already resent instead of offering Resend', async () => {
    const { drawer, user } = await openDrawer(fixtures.blueRidgeOutage);

    const chain = within(drawer).getByRole('region', { name: 'Sends of this message (2)' });
    const [first, second] = within(chain).getAllByRole('listitem');
    expect(first).toHaveAttribute('aria-current', 'true');
    expect(first).toHaveTextContent(/First send c0a57a1e….*\(this operation\).*Failed.*by Dana Dispatcher/);
    expect(second).toHaveTextContent(/Resend 1 c0a57a1e….*Succeeded.*by Sam Support/);
    expect(within(drawer).getByText('Already resent as c0a57a1e (Delivered)')).toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: /^Resend (message|again)…$/ })).not.toBeInTheDocument();
    expect(
      within(drawer)
        .getAllByRole('definition')
        .map((fact) => fact.textContent),
    ).toContain('Dana Dispatcher');

    await user.click(within(drawer).getByRole('button', { name: 'Open the newer operation c0a57a1e…' }));

    expect(await within(drawer).findByText('Delivered: there is nothing to resend.')).toBeInTheDocument();
    const again = within(drawer).getByRole('region', { name: 'Sends of this message (2)' });
    expect(within(again).getAllByRole('listitem')[1]).toHaveAttribute('aria-current', 'true');
    await user.click(within(again).getByRole('button', { name: 'First send c0a57a1e…' }));
    expect(await within(drawer).findByText('Already resent as c0a57a1e (Delivered)')).toBeInTheDocument();
  });

  it('links the broadcast the message was part of and the bulk resend that sent it', async () => {
    const broadcastId = 'b0a0d0c1-0000-4000-8000-000000000000';
    const batchId = '7a7a7a7a-0000-4000-8000-000000000001';
    const resent: OperationDetail = { ...fixtures.blueRidgeResend, broadcast_id: broadcastId, resend_batch_id: batchId };
    server.use(http.get(`/api/operations/${resent.id}`, () => HttpResponse.json(resent)));
    const { drawer } = await openDrawer(resent);

    expect(within(drawer).getByRole('link', { name: 'Open the broadcast this message was part of' })).toHaveAttribute(
      'href',
      `/broadcasts/${broadcastId}`,
    );
    expect(within(drawer).getByRole('link', { name: 'Open the bulk resend that sent this message' })).toHaveAttribute(
      'href',
      `/resend-batches/${batchId}`,
    );
    expect(
      within(drawer)
        .getAllByRole('definition')
        .map((fact) => fact.textContent),
    ).toContain('Sam Support');
  });

  it('409 already resent: says so, links the newer operation and refreshes the drawer', async () => {
    const newer = fixtures.blueRidgeResend.id;
    server.use(
      http.post('/api/operations/:id/resend', () =>
        apiErrorResponse(409, 'already_resent', 'Already resent as c0a57a1e (Delivered)', { details: { operation_id: newer } }),
      ),
    );
    let reads = 0;
    server.events.on('request:start', ({ request }) => {
      if (request.method === 'GET' && request.url.endsWith(`/api/operations/${fixtures.coastalAuth.id}`)) reads += 1;
    });
    const { drawer, user } = await openDrawer(fixtures.coastalAuth);
    const readsBefore = reads;
    await user.click(await within(drawer).findByRole('button', { name: 'Resend message…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Resend message' }));

    const alert = await within(drawer).findByRole('alert');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(alert).toHaveTextContent('Not resent: Already resent as c0a57a1e (Delivered)');
    await waitFor(() => expect(alert).toHaveFocus());
    await waitFor(() => expect(reads).toBeGreaterThan(readsBefore));

    await user.click(within(alert).getByRole('button', { name: 'Open the newer operation c0a57a1e…' }));
    expect(await within(drawer).findByText('Delivered: there is nothing to resend.')).toBeInTheDocument();
  });

  it('a resend in doubt says "Not confirmed yet — checking with Catena" and follows it until Catena has it', async () => {
    const keys = recordResendKeys();
    const resendId = fixtures.blueRidgeResend.id;
    let checks = 0;
    server.use(
      http.post('/api/operations/:id/resend', () =>
        apiErrorResponse(504, 'send_in_doubt', 'Catena did not answer in time; the console is checking.', { details: inDoubtDetails() }),
      ),
      http.get('/api/sends/:id', () => {
        checks += 1;
        return HttpResponse.json(checks === 1 ? sendStatusFixtures.inDoubt() : sendStatusFixtures.sent(resendId));
      }),
    );
    const { drawer, user } = await openDrawer(fixtures.prairieNetwork);
    await user.click(await within(drawer).findByRole('button', { name: 'Resend message…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Resend message' }));

    expect(await within(drawer).findByText('Not confirmed yet — checking with Catena')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(within(drawer).queryByRole('button', { name: /^Resend (message|again)…$/ })).not.toBeInTheDocument();
    expect(within(drawer).queryByText(/nothing was sent/i)).not.toBeInTheDocument();

    expect(await within(drawer).findByText('Confirmed: Catena has the message', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(keys).toHaveLength(1);
    await user.click(within(drawer).getByRole('button', { name: 'Open the resend c0a57a1e…' }));
    expect(await within(drawer).findByText('Delivered: there is nothing to resend.')).toBeInTheDocument();
  }, 10_000);

  it('a resend in doubt that settles as not sent may be resent, with the same key', async () => {
    const keys = recordResendKeys();
    server.use(
      http.post(
        '/api/operations/:id/resend',
        () => apiErrorResponse(504, 'send_in_doubt', 'Catena did not answer in time.', { details: inDoubtDetails() }),
        { once: true },
      ),
      http.get('/api/sends/:id', () => HttpResponse.json(sendStatusFixtures.notSent())),
    );
    const { drawer, user } = await openDrawer(fixtures.prairieNetwork);
    await user.click(await within(drawer).findByRole('button', { name: 'Resend message…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Resend message' }));

    expect(await within(drawer).findByText('Confirmed: Catena never got it — nothing was sent')).toBeInTheDocument();
    await user.click(within(drawer).getByRole('button', { name: 'Resend message…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Resend message' }));

    expect(await within(drawer).findByRole('status', { name: 'Resent as a new operation.' })).toBeInTheDocument();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });
});

describe('OperationDrawer: keyboard and states', () => {
  it('traps Tab inside, closes on Escape and gives focus back to the opener', async () => {
    const { drawer, user, opener } = await openDrawer(fixtures.northwindFirstTry);
    expect(drawer).toHaveFocus();

    await user.tab();
    expect(within(drawer).getByRole('button', { name: 'Close operation details' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(drawer).toContainElement(document.activeElement as HTMLElement);
    expect(within(drawer).getByRole('button', { name: 'Copy payload JSON' })).toHaveFocus();
    await user.tab();
    expect(within(drawer).getByRole('button', { name: 'Close operation details' })).toHaveFocus();

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('Escape in the confirmation closes only the confirmation', async () => {
    const { drawer, user } = await openDrawer(fixtures.coastalAuth);
    const resend = await within(drawer).findByRole('button', { name: 'Resend message…' });
    await user.click(resend);

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(resend).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('says when the console does not know the operation', async () => {
    const missing = 'c0a57a1e-0000-4a11-8a11-0000000000ff';
    const result = renderInRouter(<OperationDrawer operationId={missing} onClose={() => {}} onOpenOperation={() => {}} />);

    expect(await screen.findByRole('status')).toHaveTextContent('Loading the operation…');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: "This operation is not in the console's store" })).toBeInTheDocument();
    expect(result.container).toBeDefined();
  });

  it('offers "Try again" when loading failed for another reason', async () => {
    server.use(
      http.get('/api/operations/:id', () => HttpResponse.json({ error: { code: 'internal', message: 'The database is locked.' } }, { status: 500 }), {
        once: true,
      }),
    );
    const { user } = renderWithProviders(<OperationDrawer operationId={fixtures.coastalAuth.id} onClose={() => {}} onOpenOperation={() => {}} />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load this operation');
    expect(alert).toHaveTextContent('The database is locked.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('region', { name: 'Summary' })).toBeInTheDocument();
  });

  it('polls while pending: follows the operation to success, and keeps it on screen with a stale note when a poll fails', async () => {
    const pending = fixtures.prairiePending;
    const delivered = deliveredResend({ ...pending, logs: [] }, Date.now());
    let answers = 0;
    server.use(
      http.get(`/api/operations/${pending.id}`, () => {
        answers += 1;
        if (answers === 1) return HttpResponse.json(pending);
        if (answers === 2) return HttpResponse.json({ error: { code: 'internal', message: 'The database is locked.' } }, { status: 500 });
        return HttpResponse.json({ ...delivered, logs: [...pending.logs, ...delivered.logs], resend_of: null });
      }),
    );
    const { drawer } = await openDrawer(pending);

    const stale = await within(drawer).findByText(/stale since \d\d:\d\d:\d\d/i, {}, { timeout: 4000 });
    expect(stale.closest('[role="status"]')).toHaveTextContent(/refreshing failed: the database is locked/i);
    expect(section(drawer, 'Summary')).toHaveTextContent(/Attempt 2 failed with a network error/);

    await waitFor(() => expect(section(drawer, 'Summary')).toHaveTextContent('Delivered after 3 attempts over'), { timeout: 8000 });
    expect(within(drawer).queryByText(/stale since/i)).not.toBeInTheDocument();
  }, 15_000);
});
