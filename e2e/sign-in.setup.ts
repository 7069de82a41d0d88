import { writeFileSync } from 'node:fs';
import { expect, test as setup } from '@playwright/test';
import { ADMIN_CSRF_FILE, ADMIN_STATE_FILE } from '../playwright.config.ts';

setup('sign in as the demo admin', async ({ request }) => {
  const response = await request.post('/api/session', { data: { email: 'admin@fleetops.demo', password: 'demo-admin-password' } });
  expect(response.status()).toBe(200);
  const { csrf_token: csrfToken } = (await response.json()) as { csrf_token: string };
  writeFileSync(ADMIN_CSRF_FILE, csrfToken);
  await request.storageState({ path: ADMIN_STATE_FILE });
});
