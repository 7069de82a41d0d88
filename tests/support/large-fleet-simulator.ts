import { createSimulator } from '../../simulator/app.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from './console-server.ts';
import type { RunningSimulator } from './simulator.ts';

/**
 * The simulator with its sixth fleet, Continental Express (samsara), of `drivers` drivers (as
 * SIMULATOR_LARGE_FLEET_DRIVERS gives it), and Catena's API limit at `apiRateLimitPerSecond`: a
 * broadcast to the whole fleet then takes seconds, long enough to crash a server in the middle of
 * it. Otherwise as startSimulator (fast delays, no seeded history), with the same helpers.
 */
export async function startLargeFleetSimulator(options: {
  drivers: number;
  apiRateLimitPerSecond: number;
  timeScale?: number;
}): Promise<RunningSimulator> {
  const simulator = await createSimulator({
    clientId: SIM_CLIENT_ID,
    clientSecret: SIM_CLIENT_SECRET,
    timeScale: options.timeScale ?? 0.02,
    seedHistory: false,
    apiRateLimitPerSecond: options.apiRateLimitPerSecond,
    largeFleetDrivers: options.drivers,
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
    scenario: (scenario: 'outage' | 'expired_credentials' | 'flaky_network' | 'slow', connectionId: string) =>
      control('POST', '/scenarios', { scenario, connection_id: connectionId }),
    clearScenarios: () => control('DELETE', '/scenarios'),
    reset: () => control('POST', '/reset'),
    close: () => simulator.close(),
  };
}

/** The large fleet's name in the directory (simulator/seed/seed-world.ts). */
export const LARGE_FLEET_NAME = 'Continental Express';
