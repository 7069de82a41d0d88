import { readFileSync } from 'node:fs';
import { test as base, expect, type APIRequestContext } from '@playwright/test';
import { ADMIN_CSRF_FILE, ADMIN_STATE_FILE } from '../playwright.config.ts';

/** The simulator's control API (not Catena's): scenarios, timing, reset. See simulator/control/. */
export const SIMULATOR_CONTROL_URL = `http://127.0.0.1:${process.env.E2E_SIMULATOR_PORT ?? '18090'}/_sim`;

export type Simulator = {
  /** Base URL of the control API, e.g. for `request.post(`${sim.url}/scenarios`, …)`. */
  url: string;
  /** Back to the seeded world: no scenarios, default timing, seeded history. */
  reset: () => Promise<void>;
  /** Switches a failure scenario on for one connection or a whole TSP; returns its id. */
  addScenario: (scenario: { scenario: string; connection_id?: string; tsp?: string }) => Promise<string>;
  /** The seeded world as the simulator sees it (connections, scenarios, settings). */
  state: () => Promise<unknown>;
};

async function ok(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<void> {
  if (!response.ok()) throw new Error(`${what} failed: HTTP ${response.status()} ${await response.text()}`);
}

export const test = base.extend<{ sim: Simulator }>({
  sim: async ({ playwright }, use) => {
    const request = await playwright.request.newContext({ baseURL: `${SIMULATOR_CONTROL_URL}/` });
    const sim: Simulator = {
      url: SIMULATOR_CONTROL_URL,
      reset: async () => ok(await request.post('reset'), 'Resetting the simulator'),
      addScenario: async (scenario) => {
        const response = await request.post('scenarios', { data: scenario });
        await ok(response, `Adding scenario ${scenario.scenario}`);
        const body: unknown = await response.json();
        if (typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string') return body.id;
        throw new Error(`The simulator answered a scenario without an id: ${JSON.stringify(body)}`);
      },
      state: async () => {
        const response = await request.get('state');
        await ok(response, 'Reading the simulator state');
        return response.json();
      },
    };
    // Every test starts from the seeded world (Coastal Carriers' expired credentials included),
    // whatever the previous one switched on.
    await ok(await request.post('reset'), 'Resetting the simulator');
    await use(sim);
    await request.dispose();
  },
  // API calls made by a test go out as the signed-in demo admin, CSRF token included.
  request: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({
      ...(baseURL ? { baseURL } : {}),
      storageState: ADMIN_STATE_FILE,
      extraHTTPHeaders: { 'x-csrf-token': readFileSync(ADMIN_CSRF_FILE, 'utf8').trim() },
    });
    await use(request);
    await request.dispose();
  },
});

export { expect };
