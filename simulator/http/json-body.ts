import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from './catena-errors.ts';
import { renderInput } from './request-validation.ts';

/**
 * The simulator reads every body as text (see app.ts) and parses JSON here, so a broken body is a
 * 422 in Catena's shape (FastAPI answers `json_invalid` with 422) instead of Fastify's own 400.
 */
export function readJsonBody(request: FastifyRequest): unknown {
  const raw = typeof request.body === 'string' ? request.body : '';
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  const isJson = contentType === '' || contentType.includes('json');
  if (!isJson) {
    throw new RequestValidationError([
      {
        path: 'body',
        input: renderInput(raw),
        message: `Input should be a valid dictionary or object to extract fields from (Content-Type ${contentType.split(';')[0]} is not JSON)`,
        error_type: 'model_attributes_type',
      },
    ]);
  }
  if (raw.trim() === '') {
    throw new RequestValidationError([{ path: 'body', input: '', message: 'Field required', error_type: 'missing' }]);
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return throwJsonInvalid(raw, error);
  }
}

function throwJsonInvalid(raw: string, error: unknown): never {
  const reason = error instanceof Error ? error.message : 'invalid JSON';
  throw new RequestValidationError([{ path: 'body', input: renderInput(raw), message: `JSON decode error: ${reason}`, error_type: 'json_invalid' }]);
}
