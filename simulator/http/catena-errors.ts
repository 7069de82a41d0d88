/**
 * Catena's error bodies (integrations / notifications specs):
 * 400/401/403/404/405/409/413/504 → `{code, message: <default text>, detail: string|null}`,
 * 422 → `{code: 422, message: "Invalid Request Body", detail: [{path, input, message, error_type}]}`,
 * 429 → `{code: 429, message: "Too Many Requests", detail: {retry_after_seconds, message}}`,
 * 500 → `{message: "Internal Server Error"}` (no code).
 */

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Invalid Request Body',
  429: 'Too Many Requests',
  504: 'Gateway Timeout',
};

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

export interface ErrorBody {
  code: number;
  message: string;
  detail: string | null;
}

export function errorBody(status: number, detail: string | null): ErrorBody {
  return { code: status, message: defaultMessage(status), detail };
}

export interface ValidationErrorDetail {
  path: string;
  input: string;
  message: string;
  error_type: string;
}

/** An error a route throws on purpose; the error handler turns it into Catena's body. */
export class CatenaHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: string | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? defaultMessage(statusCode));
    this.name = 'CatenaHttpError';
  }
}

export class RequestValidationError extends Error {
  readonly statusCode = 422;
  constructor(readonly details: ValidationErrorDetail[]) {
    super(details.map((d) => `${d.path}: ${d.message}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

export class TooManyRequestsError extends Error {
  readonly statusCode = 429;
  constructor(
    readonly retryAfterSeconds: number,
    readonly detailMessage: string,
  ) {
    super(detailMessage);
    this.name = 'TooManyRequestsError';
  }
}

export const notFound = (detail: string): CatenaHttpError => new CatenaHttpError(404, detail);
