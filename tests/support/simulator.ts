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
