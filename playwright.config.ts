import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests against the real console server (serving dist/) and the real simulator,
 * started together by scripts/start.ts on ports of their own. `npm run test:e2e` builds dist/
 * first and makes sure Debian's Chromium is there (scripts/ensure-chromium.mjs); Playwright
 * never downloads a browser.
 */

// Ports may be moved (E2E_PORT, E2E_SIMULATOR_PORT) so two runs on one machine do not collide.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 18080);
export const E2E_SIMULATOR_PORT = Number(process.env.E2E_SIMULATOR_PORT ?? 18090);

// A fresh, empty operations store for every run. Workers load this file again; they inherit
// the variable from the main process and so reuse its directory instead of making another.
process.env.FLEET_OPS_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'fleet-ops-e2e-'));

/** Where the sign-in setup leaves the admin's cookies and CSRF token for the tests. */
export const ADMIN_STATE_FILE = join(process.env.FLEET_OPS_E2E_DATA_DIR, 'admin-state.json');
export const ADMIN_CSRF_FILE = join(process.env.FLEET_OPS_E2E_DATA_DIR, 'admin-csrf.txt');

const isCI = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: isCI ? 1 : 0,
  forbidOnly: isCI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Signs in once as the demo admin; every other test starts signed in with that session.
    { name: 'sign-in', testMatch: /sign-in\.setup\.ts/ },
    {
      name: 'chromium',
      dependencies: ['sign-in'],
      use: {
        ...devices['Desktop Chrome'],
        storageState: ADMIN_STATE_FILE,
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
        },
      },
    },
  ],
  webServer: {
    command: 'tsx scripts/start.ts',
    url: `http://localhost:${E2E_PORT}/api/health/live`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(E2E_PORT),
      SIMULATOR_PORT: String(E2E_SIMULATOR_PORT),
      DATA_DIR: process.env.FLEET_OPS_E2E_DATA_DIR,
      SIMULATOR_TIME_SCALE: '0.1',
      // Always the simulator, even in a shell that points CATENA_API_URL at real Catena.
      CATENA_API_URL: '',
      LOG_LEVEL: 'warn',
    },
  },
});
