import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ApiErrorBody } from '../../contracts/api-error-schemas.ts';
import { CatenaError } from '../catena/catena-error.ts';
import { STATUS_OF_REFUSAL, StoreRefusal } from '../db/store-refusal.ts';

/** An error the API answers with as `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Parses `value` with `schema`, or throws a 400 whose details say which field is wrong and why. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || null,
    message: issue.message,
  }));
  const first = details[0];
  const summary = first ? (first.field ? `${first.field}: ${first.message}` : first.message) : 'invalid';
  throw new HttpError(400, 'invalid_input', `The ${what} is not valid — ${summary}`, details);
}

export function errorBody(code: string, message: string, details?: unknown): ApiErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * One place turns every failure into the error shape. Fastify's own 4xx (bad JSON, body too
 * large, wrong content type) keep their status with a readable message; anything unexpected is
 * logged and answered 500 without internals.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }
    if (error instanceof StoreRefusal) {
      return reply.status(STATUS_OF_REFUSAL[error.code]).send(errorBody(error.code, error.message, error.details));
    }
    if (error instanceof CatenaError) {
      const mapped = fromCatenaError(error);
      if (error.retryAfterSeconds !== null) reply.header('retry-after', String(error.retryAfterSeconds));
      request.log.warn({ upstream_status: error.status, kind: error.kind }, error.message);
      return reply.status(mapped.statusCode).send(errorBody(mapped.code, mapped.message, mapped.details));
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = 'code' in error && typeof error.code === 'string' ? error.code.toLowerCase() : 'bad_request';
      return reply.status(status).send(errorBody(code, humanFastifyMessage(error, status)));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send(errorBody('internal', 'Something went wrong in the console server. Try again; if it persists, check the server log.'));
  });
}

function humanFastifyMessage(error: Error, status: number): string {
  if (status === 413) return 'The request body is too large.';
  if (status === 415) return 'Send the request body as JSON (Content-Type: application/json).';
  if (status === 400 && /JSON/i.test(error.message)) return 'The request body is not valid JSON.';
  return error.message;
}

/** Catena's failures as the SPA sees them: 503 when unreachable, 429 when rate limited, 502 otherwise. */
function fromCatenaError(error: CatenaError): HttpError {
  if (error.kind === 'network') return new HttpError(503, 'upstream_unreachable', error.message);
  if (error.status === 429) return new HttpError(429, 'upstream_rate_limited', error.message, { retry_after_seconds: error.retryAfterSeconds });
  if (error.kind === 'invalid_response') return new HttpError(502, 'upstream_invalid_response', error.message);
  return new HttpError(502, 'upstream_error', error.message, error.detail ?? undefined);
}
