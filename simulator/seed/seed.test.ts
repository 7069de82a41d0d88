import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../lib/time.ts';
import { buildSeedHistory } from './seed-history.ts';
import { buildSeedWorld } from './seed-world.ts';

describe('seed', () => {
  it('builds the same world every time', () => {
    const a = buildSeedWorld();
    const b = buildSeedWorld();
    expect(a.directory.users.map((u) => [u.id, u.first_name, u.last_name, u.source_id])).toEqual(
      b.directory.users.map((u) => [u.id, u.first_name, u.last_name, u.source_id]),
    );
    expect(a.directory.connections.map((c) => c.id)).toEqual(b.directory.connections.map((c) => c.id));
  });

  it('has 5 fleets on 3 TSPs, 50+ drivers with a few inactive, and dispatchers on every connection', () => {
    const { directory } = buildSeedWorld();
    expect(directory.fleets.map((f) => [f.display_name, f.fleet_ref])).toEqual([
      ['Northwind Freight', 'NWF-1042'],
      ['Blue Ridge Logistics', 'BRL-2217'],
      ['Prairie Haulers', 'PRH-0388'],
      ['Coastal Carriers', 'CCX-5120'],
      ['Summit Transport', 'SMT-7763'],
    ]);
    expect(new Set(directory.connections.map((c) => c.tsp))).toEqual(new Set(['samsara', 'motive', 'geotab']));
    const drivers = directory.users.filter((u) => u.is_driver);
    expect(drivers.length).toBeGreaterThanOrEqual(50);
    expect(drivers.filter((u) => !u.is_active).length).toBeGreaterThanOrEqual(2);
    for (const connection of directory.connections) {
      const dispatchers = directory.usersOf(connection.id).filter((u) => !u.is_driver);
      expect(dispatchers.length).toBeGreaterThanOrEqual(1);
      expect(dispatchers.length).toBeLessThanOrEqual(2);
    }
    const names = directory.users.map((u) => `${u.first_name} ${u.last_name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(directory.connections.find((c) => c.tsp === 'motive' && c.status === 'paused')).toBeDefined();
  });

  it('places the same history relative to the start time, with a realistic mix', () => {
    const world = buildSeedWorld();
    const start = Date.parse('2026-11-27T12:00:00.000Z');
    const history = buildSeedHistory(world, start);
    const again = buildSeedHistory(buildSeedWorld(), start + 5000);
    expect(again.map((op) => op.id)).toEqual(history.map((op) => op.id));
    expect(again.map((op) => op.created_at - start - 5000)).toEqual(history.map((op) => op.created_at - start));

    expect(history.length).toBeGreaterThanOrEqual(140);
    expect(history.every((op) => op.created_at > start - DAY_MS && op.updated_at < start)).toBe(true);
    expect(history.every((op) => op.logs.length >= 1 && op.status !== 'pending')).toBe(true);
    for (const op of history) {
      const times = op.logs.map((l) => l.created_at);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(op.updated_at).toBe(times.at(-1));
    }

    const lastError = (type: string) => history.filter((op) => op.status === 'failed' && op.logs.at(-1)?.error_type === type);
    const successes = history.filter((op) => op.status === 'success');
    expect(successes.length / history.length).toBeGreaterThan(0.7);
    expect(lastError('auth').length).toBeGreaterThanOrEqual(5);
    expect(lastError('validation').length).toBeGreaterThanOrEqual(5);
    expect(lastError('tsp').every((op) => op.logs.length === 5)).toBe(true);
    expect(lastError('tsp').length).toBeGreaterThanOrEqual(3);
    const healed = successes.filter((op) => op.logs.some((l) => l.error_type === 'network'));
    expect(healed.length).toBeGreaterThanOrEqual(5);
    expect(history.some((op) => op.resource === 'user' && op.operation_type === 'update')).toBe(true);
    // Every resource the console writes, creates and updates, with failures of their own.
    const resources = new Set(history.map((op) => `${op.resource} ${op.operation_type}`));
    for (const kind of [
      'vehicle create',
      'vehicle update',
      'trailer create',
      'trailer update',
      'user create',
      'group_message create',
      'fuel_transaction create',
      'dvir_log create',
    ]) {
      expect(resources).toContain(kind);
    }
    const failedRecords = history.filter((op) => op.status === 'failed' && op.resource !== 'message');
    expect(failedRecords.some((op) => op.logs.at(-1)?.error_details?.startsWith('vin:'))).toBe(true);
    expect(failedRecords.some((op) => op.logs.at(-1)?.error_details?.startsWith('license_plate_country:'))).toBe(true);
    expect(history.filter((op) => op.operation_type === 'update').every((op) => op.resource_id !== null && op.source_id !== null)).toBe(true);
    expect(history.some((op) => op.payload['source_reply_to_message_id'] !== null && op.resource === 'message')).toBe(true);
    // Every failure on Coastal Carriers is auth: its credentials expired.
    const coastal = world.connectionIds['coastal'];
    expect(history.filter((op) => op.connection_id === coastal).every((op) => op.logs.at(-1)?.error_type === 'auth')).toBe(true);
  });
});
