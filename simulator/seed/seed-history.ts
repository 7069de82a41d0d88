import type { ConnectionRecord, UserRecord } from '../directory/directory-store.ts';
import { createPrng, type Prng } from '../lib/prng.ts';
import { HOUR_MS, MINUTE_MS } from '../lib/time.ts';
import type { OperationLogRecord, OperationRecord } from '../operations/operation-store.ts';
import { outcomes, type AttemptOutcome } from '../processing/attempt-outcomes.ts';
import { FIRST_BACKOFF_MS, MAX_ATTEMPTS } from '../processing/operation-processor.ts';
import { newMessageSourceId, tspProfile, type TspProfile } from '../processing/tsp-profiles.ts';
import { MESSAGE_TEMPLATES, PLACES } from './seed-names.ts';
import { buildRecordHistory } from './seed-record-history.ts';
import type { SeedWorld } from './seed-world.ts';

/**
 * About 150 finished operations over the 24 hours before start, so the console has something to
 * show at once: mostly successes, a few healed after network errors, validation failures, the
 * Coastal Carriers auth failures, a Geotab outage ~6.5 h ago (tsp after 5 attempts), Summit
 * Transport going quiet after it was paused, and user updates that "another system" made.
 * Same ids and the same offsets from the start time on every start.
 */

type Kind =
  | 'success'
  | 'reply'
  | 'healed'
  | 'too_long'
  | 'unknown_recipient'
  | 'inactive_recipient'
  | 'coastal_auth'
  | 'summit_success'
  | 'summit_paused'
  | 'outage'
  | 'user_update';

const PLAN: readonly [Kind, number][] = [
  ['success', 88],
  ['reply', 12],
  ['healed', 12],
  ['too_long', 4],
  ['unknown_recipient', 3],
  ['inactive_recipient', 2],
  ['coastal_auth', 9],
  ['summit_success', 5],
  ['summit_paused', 3],
  ['outage', 6],
  ['user_update', 6],
];

const DRIVER_REPLIES = [
  'Copy that, on my way.',
  'Loaded and rolling, ETA {t}.',
  'Running 30 min late, traffic near {place}.',
  'Received, thanks.',
  'At the shipper, waiting on a door.',
  'BOL photo sent.',
] as const;

function fill(template: string, prng: Prng): string {
  return template
    .replaceAll('{n}', String(prng.int(1000, 99_999)))
    .replaceAll('{d}', String(prng.int(1, 40)))
    .replaceAll('{i}', String(prng.pick([35, 40, 55, 70, 80, 94, 95])))
    .replaceAll('{t}', `${String(prng.int(5, 20)).padStart(2, '0')}:${prng.pick(['00', '15', '30', '45'])}`)
    .replaceAll('{place}', prng.pick(PLACES));
}

function longText(limit: number, prng: Prng): string {
  const parts: string[] = ['Route notes for the week, please read all of it before you leave the yard.'];
  while (parts.join(' ').length <= limit + 150) parts.push(fill(prng.pick(MESSAGE_TEMPLATES), prng));
  return parts.join(' ');
}

export function buildSeedHistory(world: SeedWorld, startedAt: number): OperationRecord[] {
  const prng = createPrng('history');
  const { directory, partnerId, connectionIds } = world;
  const conn = (key: string): ConnectionRecord => {
    const found = directory.connection(connectionIds[key] ?? '');
    if (!found) throw new Error(`seed error: no connection ${key}`);
    return found;
  };
  const healthy = [conn('northwind'), conn('northwind'), conn('northwind'), conn('blue-ridge'), conn('blue-ridge'), conn('prairie'), conn('prairie')];

  const window = (fromAgo: number, toAgo: number): number => startedAt - prng.int(toAgo, fromAgo);
  const planned: { kind: Kind; at: number; connection: ConnectionRecord }[] = [];
  for (const [kind, count] of PLAN) {
    for (let i = 0; i < count; i++) {
      switch (kind) {
        case 'coastal_auth':
          planned.push({ kind, at: window(23 * HOUR_MS, 3 * MINUTE_MS), connection: conn('coastal') });
          break;
        case 'summit_success':
          planned.push({ kind, at: window(23 * HOUR_MS, 14 * HOUR_MS), connection: conn('summit') });
          break;
        case 'summit_paused':
          planned.push({ kind, at: window(10 * HOUR_MS, HOUR_MS), connection: conn('summit') });
          break;
        case 'outage':
          planned.push({ kind, at: window(6 * HOUR_MS + 50 * MINUTE_MS, 6 * HOUR_MS + 10 * MINUTE_MS), connection: conn('prairie') });
          break;
        default:
          planned.push({ kind, at: window(23 * HOUR_MS + 50 * MINUTE_MS, 3 * MINUTE_MS), connection: prng.pick(healthy) });
      }
    }
  }
  planned.sort((a, b) => a.at - b.at);

  const ops: OperationRecord[] = [];
  const delivered = new Map<string, OperationRecord[]>();
  for (const { kind, at, connection } of planned) {
    const op = kind === 'user_update' ? userUpdate(at, connection) : message(kind, at, connection);
    ops.push(op);
    if (op.status === 'success' && op.resource === 'message') {
      delivered.set(connection.id, [...(delivered.get(connection.id) ?? []), op]);
    }
  }
  return [...ops, ...buildRecordHistory(world, startedAt)].sort((a, b) => a.created_at - b.created_at);

  function baseOp(
    at: number,
    connection: ConnectionRecord,
    resource: string,
    operationType: 'create' | 'update',
    payload: Record<string, unknown>,
  ): OperationRecord {
    const fleet = directory.fleetOf(connection);
    return {
      id: prng.uuid(),
      partner_id: partnerId,
      connection_id: connection.id,
      fleet_id: fleet.id,
      fleet_ref: fleet.fleet_ref,
      source_name: connection.tsp,
      resource,
      operation_type: operationType,
      status: 'pending',
      payload,
      resource_id: null,
      source_id: null,
      created_at: at,
      updated_at: at,
      logs: [],
      origin: 'seed',
    };
  }

  function latency(profile: TspProfile): number {
    return Math.round(profile.latencyMs * (0.7 + prng.next() * 0.6));
  }

  function addLog(op: OperationRecord, at: number, outcome: AttemptOutcome): void {
    const log: OperationLogRecord = {
      id: prng.uuid(),
      created_at: at,
      updated_at: at,
      status: outcome.status,
      error_type: outcome.error_type,
      error_details: outcome.error_details,
      response_status_code: outcome.response_status_code,
      response_headers: outcome.response_headers,
    };
    op.logs.push(log);
    op.updated_at = at;
    if (outcome.status === 'success') op.status = 'success';
  }

  function people(connection: ConnectionRecord): { dispatchers: UserRecord[]; drivers: UserRecord[]; inactive: UserRecord[] } {
    const users = directory.usersOf(connection.id);
    return {
      dispatchers: users.filter((u) => !u.is_driver),
      drivers: users.filter((u) => u.is_driver && u.is_active),
      inactive: users.filter((u) => u.is_driver && !u.is_active),
    };
  }

  function message(kind: Kind, at: number, connection: ConnectionRecord): OperationRecord {
    const profile = tspProfile(connection.tsp);
    const { dispatchers, drivers, inactive } = people(connection);
    let sender = prng.pick(dispatchers);
    let recipient: UserRecord | undefined = kind === 'inactive_recipient' ? (inactive[0] ?? prng.pick(drivers)) : prng.pick(drivers);
    let text = kind === 'too_long' ? longText(profile.maxMessageChars, prng) : fill(prng.pick(MESSAGE_TEMPLATES), prng);
    let replyTo: OperationRecord | undefined;
    if (kind === 'reply') {
      // A driver answers the last message a dispatcher sent on this connection.
      replyTo = delivered.get(connection.id)?.at(-1);
      const original = replyTo ? directory.user(String(replyTo.payload['recipient_id'])) : undefined;
      if (replyTo && original) {
        recipient = directory.user(String(replyTo.payload['sender_id'])) ?? sender;
        sender = original;
        text = fill(prng.pick(DRIVER_REPLIES), prng);
      } else {
        replyTo = undefined;
      }
    }
    const recipientId = kind === 'unknown_recipient' ? prng.uuid() : (recipient as UserRecord).id;
    if (kind === 'unknown_recipient') recipient = undefined;
    const op = baseOp(at, connection, 'message', 'create', {
      connection_id: connection.id,
      sender_id: sender.id,
      recipient_id: recipientId,
      message_text: text,
      priority: prng.chance(0.25) ? prng.pick(['low', 'medium', 'high']) : null,
      reply_to_message_id: replyTo?.resource_id ?? null,
      source_sender_id: sender.source_id,
      source_recipient_id: recipient?.source_id ?? null,
      source_reply_to_message_id: replyTo?.source_id ?? null,
    });

    let clock = at;
    const fail = (outcome: AttemptOutcome, after: number): OperationRecord => {
      addLog(op, at + after, outcome);
      op.status = 'failed';
      return op;
    };
    switch (kind) {
      case 'unknown_recipient':
        return fail(outcomes.unknownUser('recipient_id', recipientId, connection), prng.int(5, 40));
      case 'summit_paused':
        return fail(outcomes.paused(connection), prng.int(5, 40));
      case 'coastal_auth':
        return fail(outcomes.expiredCredentials(profile, prng), latency(profile));
      case 'too_long':
        return fail(outcomes.tooLong(profile, [...text].length, prng), latency(profile));
      case 'inactive_recipient':
        return fail(outcomes.inactiveRecipient(profile, recipient as UserRecord, prng), latency(profile));
      case 'outage':
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          clock += latency(profile);
          addLog(op, clock, outcomes.outage(profile, prng));
          clock += FIRST_BACKOFF_MS * 2 ** (attempt - 1);
        }
        op.status = 'failed';
        return op;
      case 'healed': {
        const failures = prng.int(1, 2);
        for (let attempt = 1; attempt <= failures; attempt++) {
          clock += latency(profile);
          addLog(op, clock, outcomes.network(profile, attempt));
          clock += FIRST_BACKOFF_MS * 2 ** (attempt - 1);
        }
        break;
      }
      default:
        break;
    }
    clock += latency(profile);
    addLog(op, clock, outcomes.success(profile, prng));
    op.resource_id = prng.uuid();
    op.source_id = newMessageSourceId(connection.tsp, prng);
    return op;
  }

  function userUpdate(at: number, connection: ConnectionRecord): OperationRecord {
    const profile = tspProfile(connection.tsp);
    const user = prng.pick(people(connection).drivers);
    const change: Record<string, unknown> = prng.chance(0.5)
      ? { phone_number: `+1${user.phone_number.slice(2, 5)}${prng.digits(7)}` }
      : { license_expiration: `${prng.int(2028, 2031)}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}` };
    const op = baseOp(at, connection, 'user', 'update', { connection_id: connection.id, ...change });
    op.resource_id = user.id;
    op.source_id = user.source_id;
    addLog(op, at + latency(profile), outcomes.success(profile, prng));
    return op;
  }
}
