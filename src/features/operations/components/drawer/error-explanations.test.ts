import { describe, expect, it } from 'vitest';
import { operationDetailFixtures } from '../../../../mocks/fixtures/operation-detail-fixtures.ts';
import { explainError, explainLogs, fieldFromDetails, resendVerdict } from './error-explanations.ts';

const coastal = { tsp: 'Samsara', fleet: 'Coastal Carriers' };

describe('fieldFromDetails', () => {
  it.each([
    ['message_text: 2,692 characters; Samsara accepts at most 2,500', 'message_text'],
    ['recipient_id: Gary Pruitt (Samsara user 6638201) is deactivated at Samsara', 'recipient_id'],
    ['body.sender_id: no such user', 'sender_id'],
    ['[{"path":["body","message_text"],"input":"","message":"too short","error_type":"value_error"}]', 'message_text'],
    ['{"loc":["body","priority"],"msg":"unexpected value"}', 'priority'],
    ['The TSP refused the message: recipient_id is not a driver', 'recipient_id'],
  ])('%s → %s', (details, field) => {
    expect(fieldFromDetails(details)).toBe(field);
  });

  it('finds none where the details name no field', () => {
    expect(fieldFromDetails('Invalid request')).toBeNull();
    expect(fieldFromDetails('Error: something broke')).toBeNull();
    expect(fieldFromDetails(null)).toBeNull();
  });
});

describe('explainError', () => {
  it('auth: the fleet must re-authorise; resending fails until it has', () => {
    const [auth] = explainLogs(operationDetailFixtures.coastalAuth.logs, coastal);
    expect(auth?.title).toBe("Samsara rejected the fleet's credentials");
    expect(auth?.whoActs).toMatch(/^The fleet \(Coastal Carriers\)/);
    expect(auth?.whatToDo).toBe('Ask Coastal Carriers to re-authorise this connection with Samsara (through Catena Connect); then resend.');
    expect(auth?.resend.safety).toBe('fails-again');
  });

  it('auth on a paused connection: the fleet must resume it', () => {
    const paused = explainError('auth', operationDetailFixtures.summitPaused.logs[0] ?? null, { tsp: 'Motive', fleet: 'Summit Transport' });
    expect(paused.connectionPaused).toBe(true);
    expect(paused.whatToDo).toMatch(/resume the connection/);
  });

  it('validation: names the field and says the request must change', () => {
    const tooLong = explainError('validation', operationDetailFixtures.northwindTooLong.logs[0] ?? null, coastal);
    expect(tooLong.field).toBe('message_text');
    expect(tooLong.title).toBe('Samsara rejected the message text');
    expect(tooLong.whatToDo).toMatch(/^Change the message text/);
    expect(tooLong.resend.safety).toBe('fails-again');
    const recipient = explainError('validation', operationDetailFixtures.northwindInactiveRecipient.logs[0] ?? null, coastal);
    expect(recipient.whatToDo).toMatch(/^Check the recipient/);
  });

  it('network: usually heals; a resend may deliver twice', () => {
    const network = explainError('network', null, coastal);
    expect(network.meaning).toMatch(/usually heals/);
    expect(network.resend.safety).toBe('may-duplicate');
    expect(network.resend.text).toMatch(/may already have reached the driver/);
  });

  it('tsp: the provider is degraded; safe to resend once it recovers', () => {
    const tsp = explainError('tsp', operationDetailFixtures.blueRidgeOutage.logs[0] ?? null, { tsp: 'Motive', fleet: null });
    expect(tsp.title).toBe('Motive answered with an error (HTTP 503)');
    expect(tsp.meaning).toMatch(/Motive is degraded/);
    expect(tsp.resend.safety).toBe('safe-after-recovery');
  });
});

describe('explainLogs and resendVerdict', () => {
  it('explains each error type once, the most recent first', () => {
    const explanations = explainLogs(operationDetailFixtures.northwindMixed.logs, coastal);
    expect(explanations.map((explanation) => explanation.errorType)).toEqual(['tsp', 'network']);
    expect(explanations[0]?.title).toMatch(/HTTP 502/);
  });

  it('puts the gravest reason first: a duplicate risk before a recoverable outage', () => {
    const verdict = resendVerdict(explainLogs(operationDetailFixtures.northwindMixed.logs, coastal), coastal);
    expect(verdict.tone).toBe('warning');
    expect(verdict.headline).toMatch(/driver may already have this message/);
    expect(verdict.reasons[0]).toMatch(/may already have reached the driver/);
  });

  it('says a validation or auth failure will fail again', () => {
    expect(resendVerdict(explainLogs(operationDetailFixtures.northwindTooLong.logs, coastal), coastal).headline).toMatch(/will fail again/);
    expect(resendVerdict(explainLogs(operationDetailFixtures.coastalAuth.logs, coastal), coastal).headline).toBe(
      'Resending will fail again unless the fleet has re-authorised the connection since.',
    );
  });

  it('says an outage is safe to resend after recovery', () => {
    const motive = { tsp: 'Motive', fleet: null };
    const verdict = resendVerdict(explainLogs(operationDetailFixtures.blueRidgeOutage.logs, motive), motive);
    expect(verdict.tone).toBe('info');
    expect(verdict.headline).toBe('Safe to resend once Motive has recovered.');
  });
});

describe('per resource', () => {
  const samsara = { tsp: 'Samsara', fleet: 'Northwind Freight' };
  const vehicleUpdate = { ...samsara, resource: 'vehicle', operationType: 'update' as const };
  const vinLog = {
    error_details: 'vin: "1FTFW1E5" is not a valid VIN for Samsara (17 characters, letters and digits, no I, O or Q)',
    response_status_code: 422,
  };

  it('a vehicle update refused for its VIN: names the VIN, the partner system must correct it', () => {
    const explanation = explainError('validation', vinLog, vehicleUpdate);
    expect(explanation.field).toBe('vin');
    expect(explanation.title).toBe('Samsara rejected the VIN');
    expect(explanation.meaning).toMatch(/^The vehicle update cannot be written as it is/);
    expect(explanation.whatToDo).toMatch(/^Check the VIN/);
    expect(resendVerdict([explanation], vehicleUpdate).headline).toBe('Resending will fail again: the vehicle update itself was rejected.');
  });

  it('after a network error an update is safe to repeat; a create, fuel or DVIR may duplicate', () => {
    const update = explainError('network', null, vehicleUpdate);
    expect(update.resend.safety).toBe('safe-to-repeat');
    expect(resendVerdict([update], vehicleUpdate)).toMatchObject({ tone: 'info', headline: 'Safe to send the same vehicle update again.' });
    const fuel = { ...samsara, resource: 'fuel_transaction', operationType: 'create' as const };
    expect(explainError('network', null, fuel).resend).toMatchObject({
      safety: 'may-duplicate',
      text: expect.stringMatching(/count the fuel twice/),
    });
    expect(resendVerdict([explainError('network', null, fuel)], fuel).headline).toBe('Check first: Samsara may already have this fuel transaction.');
    const dvir = { ...samsara, resource: 'dvir_log', operationType: 'create' as const };
    expect(explainError('network', null, dvir).resend.text).toMatch(/second DVIR/);
    const created = { ...samsara, resource: 'trailer', operationType: 'create' as const };
    expect(explainError('network', null, created).resend.text).toMatch(/two records/);
  });

  it('a fuel transaction for a vehicle the TSP does not know points at the vehicle', () => {
    const fuel = { ...samsara, resource: 'fuel_transaction', operationType: 'create' as const };
    const explanation = explainError(
      'validation',
      { error_details: 'vehicle_id: Samsara has no active vehicle 281474912345678', response_status_code: 404 },
      fuel,
    );
    expect(explanation.title).toBe('Samsara rejected the vehicle');
    expect(explanation.whatToDo).toMatch(/not retired/);
  });
});
