import { createSimulator } from '../../simulator/app.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from './console-server.ts';
import { partnerSystem } from './partner-system.ts';

export type RunningSimulator = Awaited<ReturnType<typeof startSimulator>>;

/** The real simulator on a loopback port, fast enough for tests (delays × timeScale). */
export async function startSimulator(options: { timeScale?: number; seedHistory?: boolean } = {}) {
  const simulator = await createSimulator({
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    timeScale: options.timeScale ?? 0.02,
    // Off unless asked: most tests want a store that holds only what they did.
    seedHistory: options.seedHistory ?? false,
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

/** Writes a message at the simulator directly, as a request that reached Catena without the console hearing back. */
export async function postToCatena(sim: RunningSimulator, body: Record<string, unknown>): Promise<number> {
  return (await partnerSystem(sim.url).api('/v2/telematics/messages', { method: 'POST', json: body })).status;
}

/**
 * Reads the simulator's own resource-operation list, as Catena would answer it: what was really
 * sent, independent of what the console believes.
 */
export async function catenaOperations(sim: RunningSimulator): Promise<{ id: string; status: string; payload: Record<string, unknown> }[]> {
  const catena = partnerSystem(sim.url);
  const items: { id: string; status: string; payload: Record<string, unknown> }[] = [];
  let cursor: string | null = null;
  const from = new Date(Date.now() - 24 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  do {
    const query = new URLSearchParams({ from_datetime: from, to_datetime: to, size: '1000', ...(cursor ? { cursor } : {}) });
    const { body: page } = await catena.api<{ items: { id: string; status: string; payload: Record<string, unknown> }[]; next_page?: string | null }>(
      `/v2/integrations/connections/resource-operations?${query}`,
    );
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
