import { describe, expect, it } from 'vitest';
import { MESSAGE_TEXT_HARD_LIMIT } from '../../../contracts/message-schemas.ts';
import { ApiError } from '../../lib/api-client.ts';
import { connectionFixtures } from '../../mocks/fixtures/connection-fixtures.ts';
import { userFixtures } from '../../mocks/fixtures/user-fixtures.ts';
import { emptyDraft } from './compose-draft-store.ts';
import { composeRequest, serverRefusal, textLimit, validateDraft, type ComposeContext } from './compose-validation.ts';

const coastal = connectionFixtures.find((connection) => connection.name === 'Coastal Carriers');
if (!coastal) throw new Error('fixture missing');
const people = userFixtures.filter((user) => user.connection_id === coastal.id);
const drivers = people.filter((user) => user.role === 'driver');
const dispatchers = people.filter((user) => user.role === 'dispatcher');
const [darnell, keisha] = drivers;
const [marisol] = dispatchers;
if (!darnell || !keisha || !marisol) throw new Error('fixtures missing');

const context: ComposeContext = { connection: coastal, senderId: marisol.id, dispatchers, drivers };
const draft = { ...emptyDraft, connectionId: coastal.id, text: 'Hello' };

describe('compose validation', () => {
  it('uses the TSP’s limit when it is known, else the console’s', () => {
    expect(textLimit(coastal)).toEqual({ max: 2500, byTsp: true });
    expect(textLimit({ ...coastal, limits: { message_text_max: null } })).toEqual({ max: MESSAGE_TEXT_HARD_LIMIT, byTsp: false });
    expect(textLimit(undefined)).toEqual({ max: MESSAGE_TEXT_HARD_LIMIT, byTsp: false });
  });

  it('finds nothing wrong with a complete draft', () => {
    expect(validateDraft({ ...draft, recipientIds: [darnell.id] }, context)).toEqual({});
  });

  it('sends one chosen driver a message, and several or all of them a broadcast', () => {
    expect(composeRequest({ ...draft, recipientIds: [darnell.id], sync: true }, context).request).toEqual({
      kind: 'message',
      body: {
        connection_id: coastal.id,
        sender_id: marisol.id,
        recipient_id: darnell.id,
        message_text: 'Hello',
        priority: 'medium',
        is_sync: true,
      },
    });
    expect(composeRequest({ ...draft, recipientIds: [darnell.id, keisha.id], sync: true }, context).request).toMatchObject({
      kind: 'broadcast',
      body: { recipient_ids: [darnell.id, keisha.id] },
    });
    const all = composeRequest({ ...draft, recipientIds: [darnell.id], allDrivers: true }, context).request;
    expect(all).toMatchObject({ kind: 'broadcast', body: { all_drivers: true } });
    expect(all?.body).not.toHaveProperty('recipient_ids');
  });

  it('leaves out chosen ids that are no longer drivers of the connection', () => {
    expect(validateDraft({ ...draft, recipientIds: ['0b7e4c2a-6d1f-4a8e-9c3b-000000000000'] }, context)).toEqual({
      recipients: 'Choose a driver, several drivers, or all drivers of Coastal Carriers.',
    });
  });

  it('puts a refusal that names a field beside that field, and the rest on the form', () => {
    const named = new ApiError({
      status: 422,
      code: 'recipient_not_driver',
      message: '1 recipient is not a driver.',
      details: { field: 'recipient_id', recipient_ids: ['x'] },
    });
    expect(serverRefusal(named)).toEqual({ fields: { recipients: '1 recipient is not a driver.' }, form: null });

    const listed = new ApiError({
      status: 400,
      code: 'invalid_input',
      message: 'The broadcast is not valid',
      details: [
        { field: 'recipient_ids', message: 'Choose at least one recipient.' },
        { field: 'priority', message: 'Invalid option' },
      ],
    });
    expect(serverRefusal(listed)).toEqual({ fields: { recipients: 'Choose at least one recipient.' }, form: 'Invalid option' });

    const limited = new ApiError({ status: 429, code: 'upstream_rate_limited', message: 'Too many requests', details: { retry_after_seconds: 2.5 } });
    expect(serverRefusal(limited).form).toBe('Catena is limiting requests right now, so nothing was sent. Try again in 3 s; your draft is kept.');

    const busy = new ApiError({ status: 409, code: 'request_in_progress', message: 'A request with this key is still being handled.' });
    expect(serverRefusal(busy).form).toMatch(/still being sent.*will not be sent twice/);
  });
});
