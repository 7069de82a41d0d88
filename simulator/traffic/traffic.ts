import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Directory } from '../directory/directory-store.ts';
import { createPrng, type Prng } from '../lib/prng.ts';
import { endpointFor, type WriteEndpoint } from '../writes/write-kinds.ts';
import type { WriteService } from '../writes/write-service.ts';

/**
 * Background "other systems" traffic: writes as a partner's own back end makes them (a TMS that
 * updates vehicles, a fuel-card feed, a DVIR app), so the console sees operations it did not
 * create. Off by default; `PUT /_sim/traffic` sets the rate (per real minute, not time-scaled)
 * and the mix (relative weights per kind).
 */

export const TRAFFIC_KINDS = [
  'message',
  'group_message',
  'vehicle_update',
  'vehicle_create',
  'trailer_update',
  'user_update',
  'fuel_transaction',
  'dvir_log',
] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

export const DEFAULT_MIX: Record<TrafficKind, number> = {
  message: 4,
  group_message: 1,
  vehicle_update: 3,
  vehicle_create: 1,
  trailer_update: 1,
  user_update: 1,
  fuel_transaction: 3,
  dvir_log: 2,
};

export const trafficBodySchema = z.object({
  rate_per_minute: z.number().min(0).max(600).optional(),
  mix: z.partialRecord(z.enum(TRAFFIC_KINDS), z.number().min(0).max(100)).optional(),
});

export class TrafficGenerator {
  private ratePerMinute = 0;
  private mix: Record<TrafficKind, number> = { ...DEFAULT_MIX };
  private timer: ReturnType<typeof setInterval> | undefined;
  private written = 0;
  private readonly prng: Prng = createPrng(randomUUID());

  constructor(private readonly deps: { directory: Directory; writes: WriteService; onError: (error: unknown) => void }) {}

  view() {
    return { rate_per_minute: this.ratePerMinute, mix: { ...this.mix }, running: this.timer !== undefined, written: this.written };
  }

  set(changes: z.infer<typeof trafficBodySchema>): void {
    if (changes.mix) this.mix = { ...this.mix, ...changes.mix };
    if (changes.rate_per_minute !== undefined) this.ratePerMinute = changes.rate_per_minute;
    this.restart();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Back to off and the default mix (POST /_sim/reset). */
  reset(): void {
    this.ratePerMinute = 0;
    this.mix = { ...DEFAULT_MIX };
    this.written = 0;
    this.stop();
  }

  private restart(): void {
    this.stop();
    const total = Object.values(this.mix).reduce((sum, weight) => sum + weight, 0);
    if (this.ratePerMinute <= 0 || total <= 0) return;
    this.timer = setInterval(() => this.tick(), 60_000 / this.ratePerMinute);
    this.timer.unref();
  }

  private tick(): void {
    const request = this.nextWrite();
    if (!request) return;
    this.written += 1;
    this.deps.writes.submit(request.endpoint, request.body, request.recordId, false).catch((error: unknown) => this.deps.onError(error));
  }

  private pickKind(): TrafficKind {
    const entries = TRAFFIC_KINDS.map((kind) => [kind, this.mix[kind]] as const).filter(([, weight]) => weight > 0);
    let roll = this.prng.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [kind, weight] of entries) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return entries[0]?.[0] ?? 'message';
  }

  /** One plausible write on an active connection, from its current records. */
  nextWrite(): { endpoint: WriteEndpoint; body: Record<string, unknown> & { connection_id: string }; recordId: string | null } | null {
    const { directory } = this.deps;
    const prng = this.prng;
    const connection = prng.pick(directory.connections.filter((c) => c.status === 'active'));
    const users = directory.usersOf(connection.id);
    const drivers = users.filter((u) => u.is_driver && u.is_active);
    // Every dispatcher of the fleet writes, not the first one only: a demo shows messages from
    // several people, as a real dispatch desk makes them.
    const dispatchers = users.filter((u) => !u.is_driver);
    const vehicles = directory.assetsOf('vehicle', connection.id).filter((v) => v.attributes['is_active'] !== false);
    const trailers = directory.assetsOf('trailer', connection.id);
    if (dispatchers.length === 0 || drivers.length < 2 || vehicles.length === 0) return null;
    const dispatcher = prng.pick(dispatchers);
    const driver = prng.pick(drivers);
    const vehicle = prng.pick(vehicles);
    const c = { connection_id: connection.id };
    const kind = this.pickKind();
    switch (kind) {
      case 'message':
        return {
          endpoint: endpointFor('message', 'create'),
          recordId: null,
          body: {
            ...c,
            sender_id: dispatcher.id,
            recipient_id: driver.id,
            message_text: prng.pick(['Please confirm your ETA.', 'Dock 7 is free now.', 'Call dispatch when you are loaded.']),
          },
        };
      case 'group_message':
        return {
          endpoint: endpointFor('group_message', 'create'),
          recordId: null,
          body: {
            ...c,
            sender_id: dispatcher.id,
            recipient_ids: prng
              .shuffle(drivers)
              .slice(0, 3)
              .map((u) => u.id),
            message_text: 'Reminder: log your pre-trip inspection before you roll.',
            priority: 'medium',
          },
        };
      case 'vehicle_update':
        return {
          endpoint: endpointFor('vehicle', 'update'),
          recordId: vehicle.id,
          body: { ...c, status: prng.pick(['IN_SERVICE', 'IN_USE', 'IN_REPAIR', 'STANDING']), ...(prng.chance(0.1) && { vin: 'INVALID-VIN' }) },
        };
      case 'vehicle_create':
        return {
          endpoint: endpointFor('vehicle', 'create'),
          recordId: null,
          body: {
            ...c,
            vehicle_name: `Unit ${prng.int(10_000, 99_999)}`,
            oem: 'Volvo',
            model_type: 'VNL 760',
            model_year: 2026,
            vin: `4V4NC9EH${prng.digits(1)}TN${prng.digits(6)}`,
            license_plate_country: 'USA',
            status: 'IN_SERVICE',
          },
        };
      case 'trailer_update': {
        const trailer = trailers.length ? prng.pick(trailers) : undefined;
        if (!trailer) return null;
        return {
          endpoint: endpointFor('trailer', 'update'),
          recordId: trailer.id,
          body: { ...c, status: prng.pick(['IN_SERVICE', 'OUT_OF_SERVICE']) },
        };
      }
      case 'user_update':
        return {
          endpoint: endpointFor('user', 'update'),
          recordId: driver.id,
          body: { ...c, phone_number: `+1${driver.phone_number.slice(2, 5)}${prng.digits(7)}` },
        };
      case 'fuel_transaction':
        return {
          endpoint: endpointFor('fuel_transaction', 'create'),
          recordId: null,
          body: {
            ...c,
            driver_id: driver.id,
            vehicle_id: vehicle.id,
            fuel_volume: prng.int(400, 1500) / 10,
            fuel_volume_unit: 'US_GALLON',
            fuel_type: 'DIESEL',
            total_cost: (prng.int(1500, 6000) / 10).toFixed(2),
            currency: 'USD',
            transaction_time: new Date().toISOString(),
          },
        };
      case 'dvir_log':
        return {
          endpoint: endpointFor('dvir_log', 'create'),
          recordId: null,
          body: {
            ...c,
            driver_id: driver.id,
            vehicle_id: vehicle.id,
            log_type: 'pre_trip',
            defects: [],
            defect_count: 0,
            occurred_at: new Date().toISOString(),
          },
        };
    }
  }
}
