import { HttpResponse } from 'msw';
import type { ApiErrorBody } from '../../contracts/api-error-schemas.ts';

/** The console server's error answer (contracts/api-error-schemas.ts), for handlers and test overrides. */
export function apiErrorResponse(status: number, code: string, message: string, init: { details?: unknown; headers?: Record<string, string> } = {}) {
  const body: ApiErrorBody = { error: { code, message, ...(init.details === undefined ? {} : { details: init.details }) } };
  return HttpResponse.json(body, { status, ...(init.headers ? { headers: init.headers } : {}) });
}
