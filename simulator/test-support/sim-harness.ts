import { createSimulator, type Simulator, type SimulatorOptions } from '../app.ts';

/**
 * Starts a real simulator on a loopback port for one test file and talks to it over HTTP,
 * exactly as the console server will. Bodies are typed by the caller: these are test reads.
 */

export interface HttpResult<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (with `contentType`). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Override the bearer token; null sends none. */
  token?: string | null;
}

export interface SimState {
  time_scale: number;
  api_rate_limit_per_second: number;
  partner_id: string;
  scenarios: { id: string; scenario: string; connection_id: string | null; tsp: string | null }[];
  connections: { id: string; fleet_id: string; fleet_name: string; fleet_ref: string; tsp: string; status: string }[];
}

export interface SimHarness {
  sim: Simulator;
  baseUrl: string;
  token(): Promise<string>;
  /** A request to the Catena API with a valid token (unless `token` says otherwise). */
  api<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  /** A request without any token (auth server, /_sim/ control API). */
  call<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResult<T>>;
  state(): Promise<SimState>;
  connection(fleetName: string): Promise<SimState['connections'][number]>;
  close(): Promise<void>;
}

export const TEST_CLIENT = { clientId: 'fleetops-demo', clientSecret: 'fleetops-demo-secret' } as const;

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimHarness> {
  const sim = await createSimulator({ timeScale: 0.02, apiRateLimitPerSecond: 10_000, ...options });
  const baseUrl = await sim.listen(0);
  let cachedToken: string | undefined;

  const call = async <T>(path: string, request: RequestOptions = {}): Promise<HttpResult<T>> => {
    const headers: Record<string, string> = { ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] = request.contentType ?? 'application/json';
    } else if (request.raw !== undefined) {
      body = request.raw;
      if (request.contentType) headers['content-type'] = request.contentType;
    }
    if (request.token) headers['authorization'] = `Bearer ${request.token}`;
    const response = await fetch(`${baseUrl}${path}`, { method: request.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };

  const token = async (): Promise<string> => {
    if (cachedToken) return cachedToken;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId ?? TEST_CLIENT.clientId,
      client_secret: options.clientSecret ?? TEST_CLIENT.clientSecret,
      scope: 'organization',
    });
    const result = await call<{ access_token: string }>('/realms/catena/protocol/openid-connect/token', {
      raw: form.toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    if (result.status !== 200) throw new Error(`token request failed: ${result.status} ${result.text}`);
    cachedToken = result.body.access_token;
    return cachedToken;
  };

  const state = async (): Promise<SimState> => (await call<SimState>('/_sim/state')).body;

  return {
    sim,
    baseUrl,
    token,
    call,
    async api<T>(path: string, request: RequestOptions = {}) {
      const bearer = request.token === undefined ? await token() : request.token;
      return call<T>(path, { ...request, token: bearer });
    },
    state,
    async connection(fleetName: string) {
      const found = (await state()).connections.find((c) => c.fleet_name === fleetName);
      if (!found) throw new Error(`no seeded connection for ${fleetName}`);
      return found;
    },
    close: () => sim.close(),
  };
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
