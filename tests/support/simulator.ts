import { createSimulator } from '../../simulator/app.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from './console-server.ts';

export type RunningSimulator = Awaited<ReturnType<typeof startSimulator>>;

/** The real simulator on a loopback port, fast enough for tests (delays × timeScale). */
export async function startSimulator(options: { timeScale?: number } = {}) {
  const simulator = await createSimulator({
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    timeScale: options.timeScale ?? 0.02,
    seedHistory: false,
    apiRateLimitPerSecond: 1000,
    logger: false,
  });
  const url = await simulator.listen(0, '127.0.0.1');

  async function control(method: string, path: string, body?: unknown) {
    const response = await fetch(`${url}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator control ${method} ${path} → ${response.status}: ${await response.text()}`);
    return response.status === 204 ? null : ((await response.json()) as unknown);
  }

  return {
    url,
    control,
    /** Switches a scenario on for one connection; returns its id for `clearScenarios`. */
    async scenario(scenario: 'outage' | 'expired_credentials' | 'flaky_network' | 'slow', connectionId: string) {
      return control('POST', '/scenarios', { scenario, connection_id: connectionId });
    },
    clearScenarios: () => control('DELETE', '/scenarios'),
    reset: () => control('POST', '/reset'),
    close: () => simulator.close(),
  };
}

/** Retries `check` until it stops throwing, or fails with its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

async function catenaToken(sim: RunningSimulator): Promise<string> {
  const tokenResponse = await fetch(`${sim.url}/realms/catena/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET }),
  });
  return ((await tokenResponse.json()) as { access_token: string }).access_token;
}

/** Writes a message at the simulator directly, as a request that reached Catena without the console hearing back. */
export async function postToCatena(sim: RunningSimulator, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${sim.url}/v2/telematics/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await catenaToken(sim)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.status;
}

/**
 * Reads the simulator's own resource-operation list, as Catena would answer it: what was really
 * sent, independent of what the console believes.
 */
export async function catenaOperations(sim: RunningSimulator): Promise<{ id: string; status: string; payload: Record<string, unknown> }[]> {
  const token = await catenaToken(sim);
  const items: { id: string; status: string; payload: Record<string, unknown> }[] = [];
  let cursor: string | null = null;
  const from = new Date(Date.now() - 24 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  do {
    const url = new URL(`${sim.url}/v2/integrations/connections/resource-operations`);
    url.searchParams.set('from_datetime', from);
    url.searchParams.set('to_datetime', to);
    url.searchParams.set('size', '1000');
    if (cursor) url.searchParams.set('cursor', cursor);
    const page = (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      items: { id: string; status: string; payload: Record<string, unknown> }[];
      next_page?: string | null;
    };
    items.push(...page.items);
    cursor = page.items.length > 0 ? (page.next_page ?? null) : null;
  } while (cursor);
  return items;
}

/** How many messages with this text Catena holds per recipient, and how many of them succeeded. */
export async function messagesPerRecipient(sim: RunningSimulator, text: string): Promise<Map<string, { sent: number; delivered: number }>> {
  const counts = new Map<string, { sent: number; delivered: number }>();
  for (const op of await catenaOperations(sim)) {
    if (op.payload.message_text !== text) continue;
    const recipient = String(op.payload.recipient_id).toLowerCase();
    const count = counts.get(recipient) ?? { sent: 0, delivered: 0 };
    count.sent += 1;
    if (op.status === 'success') count.delivered += 1;
    counts.set(recipient, count);
  }
  return counts;
}
