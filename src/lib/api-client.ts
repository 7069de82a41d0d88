import { z } from 'zod';
import { apiErrorBodySchema } from '../../contracts/api-error-schemas.ts';

/**
 * The one way the SPA talks to the console server: same-origin `/api/*`, JSON in and out,
 * every answer validated with the zod schema the caller passes. Anything that goes wrong
 * (the server's own error body, an unexpected status, a network failure, an answer that
 * does not match the schema) comes out as an `ApiError` with a message a person can read.
 */

/** Codes the client itself assigns; every other code comes from the server's error body. */
export const clientErrorCodes = {
  network: 'network_error',
  http: 'http_error',
  invalidResponse: 'invalid_response',
} as const;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, or 0 when no answer arrived at all. */
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(init: { status: number; code: string; message: string; details?: unknown; cause?: unknown }) {
    super(init.message, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
  }

  get isNetworkError(): boolean {
    return this.code === clientErrorCodes.network;
  }
}

export type QueryParamValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

export type ApiRequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as a JSON body. */
  json?: unknown;
  /** Appended as a query string; arrays repeat the key, null/undefined are left out. */
  query?: Record<string, QueryParamValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Error statuses whose body is an answer, not a failure: it is validated with the schema and
   * returned, unless it is the server's error shape. A sync message that the TSP refused comes
   * back 502 with its (failed) operation, as Catena answers it.
   */
  answerStatuses?: readonly number[];
  /** Signing in is the one write that has no session (and so no CSRF token) yet. */
  withoutCsrfToken?: boolean;
};

export function buildApiUrl(path: string, query?: Record<string, QueryParamValue>): URL {
  if (!path.startsWith('/api/')) {
    throw new Error(`api-client only calls the console server's /api/* paths, not "${path}"`);
  }
  const url = new URL(path, globalThis.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) url.searchParams.append(key, String(item));
  }
  return url;
}

/**
 * The session's CSRF token: every request that changes something carries it as X-CSRF-Token.
 * The sign-in answer and GET /api/session hand it over; the client asks for it when it has none.
 */
let csrfToken: string | null = null;
const csrfAnswerSchema = z.object({ csrf_token: z.string() });

export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function csrfTokenForWrites(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  try {
    const response = await fetch(buildApiUrl('/api/session'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const parsed = csrfAnswerSchema.safeParse(response.ok ? await response.json() : null);
    csrfToken = parsed.success ? parsed.data.csrf_token : null;
  } catch {
    csrfToken = null;
  }
  return csrfToken;
}

export async function apiRequest<T>(path: string, schema: z.ZodType<T>, options: ApiRequestOptions = {}): Promise<T> {
  const { method = 'GET' } = options;
  if (method === 'GET' || options.withoutCsrfToken) return send(path, schema, options, null);
  try {
    return await send(path, schema, options, await csrfTokenForWrites());
  } catch (error) {
    // The session was renewed elsewhere (another tab signed in again): fetch its token once and retry.
    if (!(error instanceof ApiError && error.code === 'csrf_token_invalid')) throw error;
    csrfToken = null;
    return send(path, schema, options, await csrfTokenForWrites());
  }
}

async function send<T>(path: string, schema: z.ZodType<T>, options: ApiRequestOptions, csrf: string | null): Promise<T> {
  const { method = 'GET', json, query, headers, signal, answerStatuses = [] } = options;
  const url = buildApiUrl(path, query);

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(csrf ? { 'X-CSRF-Token': csrf } : {}),
        ...headers,
      },
      body: json === undefined ? null : JSON.stringify(json),
      credentials: 'same-origin',
      signal: signal ?? null,
    });
  } catch (error) {
    // A cancelled query is not a failure: let React Query see the AbortError it expects.
    if (signal?.aborted) throw error;
    throw new ApiError({
      status: 0,
      code: clientErrorCodes.network,
      message: 'Could not reach the console server. Check your network connection; the server may be restarting.',
      cause: error,
    });
  }

  const body = await readJson(response);

  if (!response.ok && !(answerStatuses.includes(response.status) && isAnswerBody(body))) {
    throw errorFromResponse(response, body);
  }

  const parsed = schema.safeParse(response.status === 204 ? undefined : body.value);
  if (!parsed.success) {
    throw new ApiError({
      status: response.status,
      code: clientErrorCodes.invalidResponse,
      message: `The console server sent an answer this console does not understand (${method} ${url.pathname}).`,
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

export function apiGet<T>(path: string, schema: z.ZodType<T>, options: Omit<ApiRequestOptions, 'method' | 'json'> = {}): Promise<T> {
  return apiRequest(path, schema, { ...options, method: 'GET' });
}

type JsonBody = { ok: true; value: unknown } | { ok: false; value: undefined };

async function readJson(response: Response): Promise<JsonBody> {
  const text = await response.text().catch(() => '');
  if (text.trim() === '') return { ok: false, value: undefined };
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch {
    return { ok: false, value: undefined };
  }
}

/** JSON that is not the server's error shape (a proxy's HTML error page is not an answer). */
function isAnswerBody(body: JsonBody): boolean {
  return body.ok && !apiErrorBodySchema.safeParse(body.value).success;
}

function errorFromResponse(response: Response, body: JsonBody): ApiError {
  const parsed = apiErrorBodySchema.safeParse(body.value);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError({ status: response.status, code, message, details });
  }
  const gateway = response.status === 502 || response.status === 503 || response.status === 504;
  return new ApiError({
    status: response.status,
    code: clientErrorCodes.http,
    message: gateway
      ? `The console server is not answering (HTTP ${response.status}). It may be restarting.`
      : `The console server answered with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
  });
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A message for any error React Query hands to a component. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
