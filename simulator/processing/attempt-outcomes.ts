import type { Prng } from '../lib/prng.ts';
import type { ConnectionRecord, UserRecord } from '../directory/directory-store.ts';
import type { ErrorType } from '../operations/operation-store.ts';
import type { TspProfile } from './tsp-profiles.ts';

/**
 * The result of one attempt to write to a TSP: one log entry. The texts are what support staff
 * read in the console, so each says what happened and what fixes it (REFERENCE §10 error types).
 * Live processing and the seeded history both build their logs from here.
 */
export interface AttemptOutcome {
  status: 'success' | 'failed';
  error_type: ErrorType | null;
  error_details: string | null;
  response_status_code: number | null;
  response_headers: Record<string, string> | null;
  /** network and tsp errors may heal; auth and validation never do by retrying. */
  retryable: boolean;
}

const requestId = (prng: Prng): string => prng.hex(32);

function failure(
  error_type: ErrorType,
  error_details: string,
  response_status_code: number | null,
  response_headers: Record<string, string> | null,
): AttemptOutcome {
  return {
    status: 'failed',
    error_type,
    error_details,
    response_status_code,
    response_headers,
    retryable: error_type === 'network' || error_type === 'tsp',
  };
}

const formatCount = (n: number): string => n.toLocaleString('en-US');

export const outcomes = {
  success(profile: TspProfile, prng: Prng): AttemptOutcome {
    const headers: Record<string, string> =
      profile.name === 'motive'
        ? {
            'X-Request-Id': requestId(prng),
            'RateLimit-Limit': String(profile.ratePerSecond),
            'RateLimit-Remaining': String(prng.int(0, profile.ratePerSecond - 1)),
          }
        : profile.name === 'samsara'
          ? {
              'X-Request-Id': requestId(prng),
              'X-RateLimit-Limit': String(profile.ratePerSecond),
              'X-RateLimit-Remaining': String(prng.int(0, profile.ratePerSecond - 1)),
            }
          : { 'X-Request-Id': requestId(prng) };
    return {
      status: 'success',
      error_type: null,
      error_details: null,
      response_status_code: profile.name === 'motive' ? 201 : 200,
      response_headers: headers,
      retryable: false,
    };
  },

  unknownUser(field: 'sender_id' | 'recipient_id', userId: string, connection: ConnectionRecord): AttemptOutcome {
    return failure(
      'validation',
      `${field}: no user with id ${userId} on connection ${connection.id} (${connection.tsp}); Catena could not resolve its ${field === 'sender_id' ? 'source_sender_id' : 'source_recipient_id'}`,
      null,
      null,
    );
  },

  /** Catena could not resolve a Catena id of the body to the TSP's id: it fails before any TSP call. */
  unresolved(field: string, noun: string, id: string, connection: ConnectionRecord, sourceField: string): AttemptOutcome {
    return failure(
      'validation',
      `${field}: no ${noun} with id ${id} on connection ${connection.id} (${connection.tsp}); Catena could not resolve its ${sourceField}`,
      null,
      null,
    );
  },

  /** Catena itself refuses the body's content before calling the TSP. */
  invalid(details: string): AttemptOutcome {
    return failure('validation', details, null, null);
  },

  /** The TSP refused the request's content (`details` starts with the field it names). */
  rejected(status: number, details: string, prng: Prng): AttemptOutcome {
    return failure('validation', details, status, { 'X-Request-Id': requestId(prng) });
  },

  missingText(): AttemptOutcome {
    return failure('validation', 'message_text: the message text is empty; the TSP needs a non-empty text', null, null);
  },

  tooLong(profile: TspProfile, length: number, prng: Prng): AttemptOutcome {
    return failure(
      'validation',
      `message_text: ${formatCount(length)} characters; ${profile.label} accepts at most ${formatCount(profile.maxMessageChars)}`,
      profile.name === 'motive' ? 422 : 400,
      { 'X-Request-Id': requestId(prng) },
    );
  },

  inactiveRecipient(profile: TspProfile, user: UserRecord, prng: Prng): AttemptOutcome {
    return failure(
      'validation',
      `recipient_id: ${user.first_name} ${user.last_name} (${profile.label} user ${user.source_id}) is deactivated at ${profile.label}; messages to inactive drivers are rejected`,
      422,
      { 'X-Request-Id': requestId(prng) },
    );
  },

  paused(connection: ConnectionRecord): AttemptOutcome {
    return failure(
      'auth',
      `connection ${connection.id} is paused: the fleet paused data sharing, so Catena does not write to ${connection.tsp} until the fleet resumes the connection`,
      null,
      null,
    );
  },

  expiredCredentials(profile: TspProfile, prng: Prng): AttemptOutcome {
    return failure(
      'auth',
      `${profile.label} rejected the connection's credentials (401 Unauthorized: token expired or revoked); the fleet must re-authorise the connection`,
      401,
      { 'X-Request-Id': requestId(prng), 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    );
  },

  outage(profile: TspProfile, prng: Prng): AttemptOutcome {
    return failure('tsp', `${profile.label} answered 503 Service Unavailable`, 503, {
      'X-Request-Id': requestId(prng),
      'Retry-After': '30',
    });
  },

  network(profile: TspProfile, attempt: number): AttemptOutcome {
    const details =
      attempt % 2 === 1 ? `No answer from ${profile.label} within 30 s (read timeout)` : `Connection to ${profile.label} reset by peer (ECONNRESET)`;
    return failure('network', details, null, null);
  },
};
