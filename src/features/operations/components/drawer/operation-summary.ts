import type { ErrorType, OperationDetail, OperationLog } from '../../../../../contracts/operation-schemas.ts';
import { durationBetween, formatDuration } from '../../../../lib/duration.ts';
import { fieldFromDetails, fieldLabel } from './error-explanations.ts';

/**
 * One sentence that says what happened to an operation, derived from its attempt logs alone:
 * how many attempts, over how long, and what went wrong. It never assumes Catena's retry
 * schedule (how many attempts, how far apart), so it stays true for any: the most attempts, which
 * Catena does not document, is the server's (`attempts_expected`), said only while it holds.
 */

type SummaryInput = Pick<OperationDetail, 'status' | 'resource' | 'created_at' | 'logs' | 'attempts_expected'>;

const errorNouns: Record<ErrorType, { one: string; many: string }> = {
  auth: { one: 'an auth error', many: 'auth errors' },
  validation: { one: 'a validation error', many: 'validation errors' },
  network: { one: 'a network error', many: 'network errors' },
  tsp: { one: 'a TSP error', many: 'TSP errors' },
};

export function attemptsInOrder(logs: readonly OperationLog[]): OperationLog[] {
  return [...logs].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id));
}

export function summariseOperation(operation: SummaryInput, { tsp }: { tsp: string }): string {
  const logs = attemptsInOrder(operation.logs);
  const first = logs[0];
  const last = logs.at(-1);
  const count = logs.length;
  const span = first && last ? formatDuration(durationBetween(first.created_at, last.created_at)) : '';
  const succeeded = operation.resource === 'message' ? 'Delivered' : 'Succeeded';

  switch (operation.status) {
    case 'success': {
      if (!first) return `${succeeded}.`;
      if (count === 1) {
        return `${succeeded} on the first attempt, ${formatDuration(durationBetween(operation.created_at, first.created_at))} after Catena accepted it.`;
      }
      const failures = logs.filter((log) => log.status === 'failed');
      return `${succeeded} after ${count} attempts over ${span}; ${earlierFailures(failures)}.`;
    }
    case 'failed': {
      if (!first || !last) return 'Failed, with no attempt recorded by Catena.';
      if (count === 1) return `Failed on the first attempt: ${oneReason(first, tsp)}.`;
      return `Failed after ${count} attempts over ${span}: ${manyReasons(logs, tsp)}.`;
    }
    case 'pending': {
      if (!last) return 'Waiting for the first attempt: Catena has accepted the operation and queued it.';
      if (last.status === 'success') return `Attempt ${count} succeeded; waiting for Catena to confirm.`;
      return `Attempt ${count} failed ${withError(last)}; Catena is ${retrying(count + 1, operation.attempts_expected)}.`;
    }
  }
}

/** "retrying (attempt 3 of 5)"; with no known (or an outgrown) most, "retrying (attempt 6)". */
export function retrying(next: number, expected: number | null | undefined): string {
  return `retrying (attempt ${next}${expected && next <= expected ? ` of ${expected}` : ''})`;
}

/** "the first one hit a network error", "the first 2 hit network errors", "the first 3 failed (2 network errors, 1 TSP error)". */
function earlierFailures(failures: readonly OperationLog[]): string {
  const n = failures.length;
  const lead = n === 1 ? 'the first one' : `the first ${n}`;
  const counts = countByType(failures);
  if (counts.length === 1 && counts[0]) {
    const [type, k] = counts[0];
    return `${lead} hit ${k === 1 ? errorNouns[type].one : errorNouns[type].many}`;
  }
  return `${lead} failed (${counts.map(([type, k]) => countedErrors(type, k)).join(', ')})`;
}

function oneReason(log: OperationLog, tsp: string): string {
  const status = log.response_status_code;
  switch (log.error_type) {
    case 'auth':
      return log.error_details && /\bpaused\b/i.test(log.error_details)
        ? 'the fleet has paused this connection'
        : `${tsp} rejected the connection's credentials${status ? ` (HTTP ${status})` : ''}`;
    case 'validation': {
      const field = fieldFromDetails(log.error_details);
      return `${tsp} rejected ${field ? fieldLabel(field) : 'the request'} as invalid${status ? ` (HTTP ${status})` : ''}`;
    }
    case 'network':
      return `${tsp} could not be reached (network error)`;
    case 'tsp':
      return status ? `${tsp} answered ${status}` : `${tsp} answered with an error`;
    case null:
      return 'Catena gave no error type';
  }
}

/** "Samsara answered 503 each time", "network errors each time", "3 network errors and 2 TSP errors (last: HTTP 503)". */
function manyReasons(logs: readonly OperationLog[], tsp: string): string {
  const failures = logs.filter((log) => log.status === 'failed');
  const counts = countByType(failures);
  const last = failures.at(-1);
  if (counts.length === 1 && counts[0] && failures.length === logs.length) {
    const [type] = counts[0];
    const codes = new Set(failures.map((log) => log.response_status_code ?? null));
    const [onlyCode] = codes;
    const sameCode = codes.size === 1 && onlyCode !== null && onlyCode !== undefined;
    switch (type) {
      case 'tsp':
        return sameCode ? `${tsp} answered ${onlyCode} each time` : `${tsp} answered with an error each time`;
      case 'network':
        return `${tsp} could not be reached each time (network errors)`;
      case 'auth':
        return `${tsp} rejected the connection's credentials each time${sameCode ? ` (HTTP ${onlyCode})` : ''}`;
      case 'validation':
        return `${tsp} rejected the request as invalid each time`;
    }
  }
  const parts = counts.map(([type, k]) => countedErrors(type, k));
  const lastCode = last?.response_status_code;
  return `${joinAnd(parts)}${lastCode ? ` (last: HTTP ${lastCode})` : ''}`;
}

function withError(log: OperationLog): string {
  if (!log.error_type) return 'without an error type';
  const status = log.response_status_code;
  return `with ${errorNouns[log.error_type].one}${status ? ` (HTTP ${status})` : ''}`;
}

function countedErrors(type: ErrorType, k: number): string {
  return k === 1 ? `1 ${errorNouns[type].one.replace(/^an? /, '')}` : `${k} ${errorNouns[type].many}`;
}

/** Error types in the order they first appeared, with how often each did. */
function countByType(failures: readonly OperationLog[]): Array<[ErrorType, number]> {
  const counts = new Map<ErrorType, number>();
  for (const log of failures) {
    if (log.error_type) counts.set(log.error_type, (counts.get(log.error_type) ?? 0) + 1);
  }
  return [...counts];
}

function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
