import { describe, expect, it } from 'vitest';
import { repeatRequestOf } from './repeat-request.ts';

const connection_id = 'cf088036-77db-4fd9-b420-c3a0bf9ce7fb';
const vehicleId = '5a4b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const base = { connection_id, resource_id: null };

describe('repeatRequestOf', () => {
  it("a message: POST /messages with exactly MessageCreate's fields, without the resolved TSP ids", () => {
    const result = repeatRequestOf({
      ...base,
      resource: 'message',
      operation_type: 'create',
      payload: {
        connection_id,
        sender_id: 'a1',
        recipient_id: 'b2',
        message_text: 'Dock 4',
        priority: null,
        reply_to_message_id: 'c3',
        source_sender_id: '123',
        source_recipient_id: '456',
        source_reply_to_message_id: null,
      },
    });
    expect(result).toEqual({
      ok: true,
      request: {
        method: 'POST',
        path: '/v2/telematics/messages',
        body: { connection_id, sender_id: 'a1', recipient_id: 'b2', message_text: 'Dock 4', reply_to_message_id: 'c3' },
      },
      description: expect.stringMatching(/same message again/),
    });
  });

  it('a message without a recipient cannot be sent again', () => {
    expect(repeatRequestOf({ ...base, resource: 'message', operation_type: 'create', payload: { sender_id: 'a1' } })).toMatchObject({ ok: false });
  });

  it.each([
    ['vehicle', '/v2/telematics/vehicles'],
    ['trailer', '/v2/telematics/trailers'],
    ['user', '/v2/telematics/users'],
  ])('a %s update: PATCH …/{resource_id} with the same fields (explicit nulls kept), connection_id from the operation', (resource, path) => {
    const result = repeatRequestOf({
      connection_id,
      resource_id: vehicleId.toUpperCase(),
      resource,
      operation_type: 'update',
      payload: { status: 'IN_REPAIR', notes: null, source_vehicle_id: 'x' },
    });
    expect(result).toEqual({
      ok: true,
      request: { method: 'PATCH', path: `${path}/${vehicleId}`, body: { status: 'IN_REPAIR', notes: null, connection_id } },
      description: expect.stringContaining('(status, notes)'),
    });
  });

  it('an update without its record id, or without fields, cannot be sent again', () => {
    expect(repeatRequestOf({ ...base, resource: 'vehicle', operation_type: 'update', payload: { status: 'SPARE' } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/which vehicle/),
    });
    expect(
      repeatRequestOf({ ...base, resource_id: vehicleId, resource: 'vehicle', operation_type: 'update', payload: { connection_id } }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/names no field/) });
  });

  it.each([
    ['vehicle', '/v2/telematics/vehicles'],
    ['trailer', '/v2/telematics/trailers'],
    ['user', '/v2/telematics/users'],
    ['group_message', '/v2/telematics/group-messages'],
    ['fuel_transaction', '/v2/telematics/fuel-transactions'],
    ['dvir_log', '/v2/telematics/dvir-logs'],
  ])('a %s create: POST %s with the body as asked', (resource, path) => {
    const result = repeatRequestOf({
      ...base,
      resource,
      operation_type: 'create',
      payload: {
        connection_id,
        driver_id: 'd1',
        recipient_ids: ['r1', 'r2'],
        fuel_volume: 80,
        source_driver_id: '77',
        source_recipient_ids: ['1', null],
      },
    });
    expect(result).toEqual({
      ok: true,
      request: { method: 'POST', path, body: { connection_id, driver_id: 'd1', recipient_ids: ['r1', 'r2'], fuel_volume: 80 } },
      description: expect.any(String),
    });
  });

  it('refuses what Catena cannot write, or cannot update', () => {
    expect(repeatRequestOf({ ...base, resource: 'hos_event', operation_type: 'create', payload: {} })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no write endpoint/),
    });
    expect(
      repeatRequestOf({ ...base, resource_id: vehicleId, resource: 'fuel_transaction', operation_type: 'update', payload: { fuel_volume: 1 } }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no update endpoint/),
    });
  });
});
