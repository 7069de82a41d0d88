import { z } from 'zod';
import type { UpstreamStatus } from '../health/upstream-status.ts';
import { CatenaError } from './catena-error.ts';
import {
  catenaConnectionSchema,
  catenaErrorBodySchema,
  catenaFleetSchema,
  catenaOperationSchema,
  catenaTrailerSchema,
  catenaUserRecordSchema,
  catenaUserSchema,
  catenaVehicleSchema,
  catenaWebhookCreateResponseSchema,
  catenaWebhookLogSchema,
  catenaWebhookMetricsSchema,
  catenaWebhookSchema,
  cursorPageSchema,
  type CatenaOperation,
} from './catena-schemas.ts';
import { describeFetchError, type TokenProvider } from './token-provider.ts';

type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

type RequestOptions<T extends z.ZodType> = {
  query?: Query;
  body?: unknown;
  schema: T;
  /** Statuses whose body is `schema`; anything else is a CatenaError. */
  accept?: readonly number[];
  /** Overrides the client's timeout for this request (a send's remaining deadline). */
  timeoutMs?: number;
  /** Give a 429 to the caller at once instead of waiting it out here (a batch's dispatcher paces itself). */
  noRateLimitWait?: boolean;
};

/** A write to Catena as the console would send it again: method, path (with the record id for updates) and body. */
export type CatenaWriteRequest = { method: 'POST' | 'PATCH'; path: string; body: Record<string, unknown> };

/** Catena's write endpoints: the only paths `write()` sends to. */
const WRITE_PATH = /^\/v2\/telematics\/(?:messages|group-messages|fuel-transactions|dvir-logs|(?:vehicles|trailers|users)(?:\/[0-9a-fA-F-]{36})?)$/;

type ClientOptions = {
  apiUrl: string;
  tokens: TokenProvider;
  status: UpstreamStatus;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** Longest `retry_after_seconds` the client waits out by itself before giving the 429 to its caller. */
  maxRetryAfterSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
};

const MAX_PAGES = 1000;

/** Errors that mean the request never reached Catena: nothing can have been written. */
const NEVER_ARRIVED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The console's only way to Catena. Adds the bearer token, renews it once on a 401, waits out a
 * short 429, validates every answer with zod and keeps the health status up to date.
 */
export class CatenaClient {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Calls waiting for Catena now, and when the last one ended: how long Catena has gone unasked. */
  private inFlight = 0;
  private lastEndedAt = 0;

  constructor(private readonly options: ClientOptions) {
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** How long no call has been made or waited on (0 while one waits): the probe asks only after a quiet spell. */
  quietForMs(now = Date.now()): number {
    return this.inFlight > 0 ? 0 : now - this.lastEndedAt;
  }

  /**
   * The cheapest call there is (one connection), made only to learn whether Catena answers: its
   * outcome feeds the health status like any other call's.
   */
  async probe(): Promise<void> {
    await this.request('GET', '/v2/integrations/connections', { query: { size: 1 }, schema: z.unknown(), timeoutMs: NOT_ANSWERING_AFTER_MS * 2 });
  }

  listConnections() {
    return this.listAll('/v2/integrations/connections', catenaConnectionSchema, {});
  }

  listFleets() {
    return this.listAll('/v2/orgs/fleets', catenaFleetSchema, {});
  }

  listUsers(connectionId: string) {
    return this.listAll('/v2/telematics/users', catenaUserSchema, { connection_id: connectionId });
  }

  listVehicles(connectionId: string) {
    return this.listAll('/v2/telematics/vehicles', catenaVehicleSchema, { connection_id: connectionId });
  }

  listTrailers(connectionId: string) {
    return this.listAll('/v2/telematics/trailers', catenaTrailerSchema, { connection_id: connectionId });
  }

  async getVehicle(id: string) {
    return (await this.request('GET', `/v2/telematics/vehicles/${encodeURIComponent(id)}`, { schema: catenaVehicleSchema })).data;
  }

  async getTrailer(id: string) {
    return (await this.request('GET', `/v2/telematics/trailers/${encodeURIComponent(id)}`, { schema: catenaTrailerSchema })).data;
  }

  async getUser(id: string) {
    return (await this.request('GET', `/v2/telematics/users/${encodeURIComponent(id)}`, { schema: catenaUserRecordSchema })).data;
  }

  /**
   * Any Catena write (POST create, PATCH update): 202 (async), 200 or 502 (sync) all carry the
   * operation; anything else is a CatenaError. Only Catena's write paths are accepted.
   */
  async write(
    request: CatenaWriteRequest,
    isSync: boolean,
    options: { timeoutMs?: number; noRateLimitWait?: boolean } = {},
  ): Promise<{ status: number; operation: CatenaOperation }> {
    if (!WRITE_PATH.test(request.path)) throw new CatenaError('http', `${request.path} is not one of Catena's write endpoints.`, 400, null);
    const { status, data } = await this.request(request.method, request.path, {
      query: { is_sync: isSync },
      body: request.body,
      schema: catenaOperationSchema,
      accept: [200, 201, 202, 502],
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.noRateLimitWait ? { noRateLimitWait: true } : {}),
    });
    return { status, operation: data };
  }

  /** POST /v2/telematics/messages: 202 (async), 200 or 502 (sync) all carry the operation. */
  createMessage(
    body: Record<string, unknown>,
    isSync: boolean,
    options: { timeoutMs?: number; noRateLimitWait?: boolean } = {},
  ): Promise<{ status: number; operation: CatenaOperation }> {
    return this.write({ method: 'POST', path: '/v2/telematics/messages', body }, isSync, options);
  }

  /**
   * One page of the resource-operations list (Catena caps the window at 45 days). Items are checked
   * one by one: one that is not a valid operation is left out and its issue returned in `invalid`,
   * so it cannot stop every later page from being read.
   */
  async listResourceOperations(query: { from_datetime: string; to_datetime: string; cursor?: string | null; size?: number }) {
    const { data } = await this.request('GET', '/v2/integrations/connections/resource-operations', {
      query: { ...query, size: query.size ?? 1000 },
      schema: cursorPageSchema(z.unknown()),
    });
    const items: CatenaOperation[] = [];
    const invalid: z.ZodError[] = [];
    for (const item of data.items) {
      const parsed = catenaOperationSchema.safeParse(item);
      if (parsed.success) items.push(parsed.data);
      else invalid.push(parsed.error);
    }
    return { items, invalid, nextCursor: data.next_page ?? null };
  }

  async getResourceOperation(
    connectionId: string,
    operationId: string,
    options: { timeoutMs?: number; noRateLimitWait?: boolean } = {},
  ): Promise<CatenaOperation> {
    const { data } = await this.request(
      'GET',
      `/v2/integrations/connections/${encodeURIComponent(connectionId)}/resource-operations/${encodeURIComponent(operationId)}`,
      { schema: catenaOperationSchema, ...options },
    );
    return data;
  }

  listWebhooks() {
    return this.listAll('/v2/notifications/webhooks', catenaWebhookSchema, {});
  }

  async createWebhook(body: { url: string; event_name: string; secret: string }) {
    const { data } = await this.request('POST', '/v2/notifications/webhooks', {
      body,
      schema: catenaWebhookCreateResponseSchema,
      accept: [200, 201],
    });
    return Array.isArray(data) ? data : [data];
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.request('DELETE', `/v2/notifications/webhooks/${encodeURIComponent(id)}`, {
      schema: catenaErrorBodySchema.optional(),
      accept: [200, 204, 404],
    });
  }

  async getWebhook(id: string) {
    return (await this.request('GET', `/v2/notifications/webhooks/${encodeURIComponent(id)}`, { schema: catenaWebhookSchema })).data;
  }

  async webhookMetrics(id: string) {
    return (await this.request('GET', `/v2/notifications/webhooks/${encodeURIComponent(id)}/metrics`, { schema: catenaWebhookMetricsSchema })).data;
  }

  /** One page (newest first) of a subscription's delivery attempts; Catena keeps 14 days. */
  async webhookLogs(id: string, query: { status?: 'success' | 'failed'; size?: number; start_date?: string }) {
    const { data } = await this.request('GET', `/v2/notifications/webhooks/${encodeURIComponent(id)}/logs`, {
      query: { size: query.size ?? 300, status: query.status, start_date: query.start_date },
      schema: cursorPageSchema(catenaWebhookLogSchema),
    });
    return data.items;
  }

  /** Delivery starts again (after a pause or the stale circuit breaker); Catena answers the subscription. */
  async activateWebhook(id: string) {
    return (await this.request('POST', `/v2/notifications/webhooks/${encodeURIComponent(id)}/activate`, { schema: catenaWebhookSchema })).data;
  }

  /** Catena delivers the subscription's whole dead-letter queue again (202 `{}`). */
  async replayWebhook(id: string): Promise<void> {
    await this.request('POST', `/v2/notifications/webhooks/${encodeURIComponent(id)}/replay`, { schema: z.unknown(), accept: [200, 202] });
  }

  private async listAll<T extends z.ZodType>(path: string, item: T, query: Query): Promise<z.infer<T>[]> {
    const items: z.infer<T>[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { data }: { data: { items: z.infer<T>[]; next_page?: string | null | undefined } } = await this.request('GET', path, {
        query: { ...query, size: 1000, cursor },
        schema: cursorPageSchema(item),
      });
      items.push(...data.items);
      cursor = data.next_page ?? null;
      if (!cursor || data.items.length === 0) break;
    }
    return items;
  }

  async request<T extends z.ZodType>(method: string, path: string, options: RequestOptions<T>): Promise<{ status: number; data: z.infer<T> }> {
    const accept = options.accept ?? [200];
    let renewedToken = false;
    let waits = 0;
    for (;;) {
      const token = await this.tokenOrRecordFailure();
      const response = await this.send(method, path, options, token);
      if (response.status === 401 && !renewedToken) {
        // The token may have been revoked or expired early: get a fresh one and try once more.
        renewedToken = true;
        this.options.tokens.invalidate(token);
        continue;
      }
      const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
      if (response.status === 429) {
        const retryAfter = retryAfterSeconds(response, body);
        if (!options.noRateLimitWait && waits < 2 && retryAfter <= (this.options.maxRetryAfterSeconds ?? 10)) {
          waits += 1;
          await this.sleep(retryAfter * 1000);
          continue;
        }
        this.options.status.recordSuccess();
        throw new CatenaError('http', `Catena is rate limiting the console; try again in ${retryAfter} s.`, 429, null, retryAfter);
      }
      if (response.status >= 500 && !accept.includes(response.status)) {
        this.options.status.recordFailure(`Catena answered ${response.status} to ${method} ${pathOnly(path)}`);
        throw new CatenaError(
          'http',
          `Catena answered ${response.status} (a problem on Catena's side).`,
          response.status,
          errorDetail(body),
          null,
          true,
        );
      }
      // Catena answered: it is reachable, whatever it thought of the request.
      this.options.status.recordSuccess();
      if (!accept.includes(response.status)) {
        throw new CatenaError('http', errorMessage(response.status, body), response.status, errorDetail(body));
      }
      const parsed = options.schema.safeParse(body);
      if (!parsed.success) {
        throw new CatenaError(
          'invalid_response',
          `Catena's answer to ${method} ${pathOnly(path)} did not have the expected shape (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}).`,
          response.status,
          null,
          null,
          // Catena answered 2xx: a write it answered so was most likely done.
          response.status < 300,
        );
      }
      return { status: response.status, data: parsed.data };
    }
  }

  private async tokenOrRecordFailure(): Promise<string> {
    try {
      return await this.options.tokens.get();
    } catch (error) {
      if (error instanceof CatenaError) this.options.status.recordFailure(error.message);
      throw error;
    }
  }

  private async send<T extends z.ZodType>(method: string, path: string, options: RequestOptions<T>, token: string): Promise<Response> {
    const url = new URL(`${this.options.apiUrl}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
    // A Catena that stops answering (rather than refusing) would otherwise show only when the call
    // times out: past this, health says so while the call still waits (and a success clears it).
    // A synchronous write waits for the TSP by design: its wait says nothing about Catena.
    const silence =
      options.query?.is_sync === true
        ? null
        : setTimeout(
            () => this.options.status.recordFailure(`Catena has not answered ${method} ${pathOnly(path)} for ${NOT_ANSWERING_AFTER_MS / 1000} s.`),
            NOT_ANSWERING_AFTER_MS,
          );
    silence?.unref();
    this.inFlight += 1;
    try {
      return await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      const described = describeFetchError(error);
      const reason = `Could not reach Catena (${described}).`;
      this.options.status.recordFailure(reason);
      throw new CatenaError('network', reason, null, null, null, !NEVER_ARRIVED.has(described));
    } finally {
      if (silence) clearTimeout(silence);
      this.inFlight -= 1;
      this.lastEndedAt = Date.now();
    }
  }
}

/** How long a call may wait for Catena's answer before health says Catena is not answering. */
export const NOT_ANSWERING_AFTER_MS = 5_000;

function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}

function retryAfterSeconds(response: Response, body: unknown): number {
  const parsed = catenaErrorBodySchema.safeParse(body);
  const detail = parsed.success ? parsed.data.detail : undefined;
  if (detail && typeof detail === 'object' && 'retry_after_seconds' in detail && typeof detail.retry_after_seconds === 'number') {
    return Math.max(0, detail.retry_after_seconds);
  }
  const header = Number(response.headers.get('retry-after'));
  return Number.isFinite(header) && header >= 0 ? header : 1;
}

function errorDetail(body: unknown): unknown {
  const parsed = catenaErrorBodySchema.safeParse(body);
  return parsed.success ? (parsed.data.detail ?? null) : null;
}

function errorMessage(status: number, body: unknown): string {
  const parsed = catenaErrorBodySchema.safeParse(body);
  const detail = parsed.success ? parsed.data.detail : undefined;
  const text = typeof detail === 'string' && detail ? detail : parsed.success ? parsed.data.message : undefined;
  return text ? `Catena answered ${status}: ${text}` : `Catena answered ${status}.`;
}
