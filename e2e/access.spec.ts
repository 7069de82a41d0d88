import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/*
 * Access control through the browser, against the real server and simulator. Every test here
 * starts signed out (not with the setup's admin session) and signs in through the sign-in page,
 * with the demo accounts the page lists when the simulator is the upstream.
 */
test.use({ storageState: { cookies: [], origins: [] } });

type Role = 'admin' | 'dispatcher' | 'support' | 'viewer';
type Named = { id: string; name: string };
type User = Named & { is_active: boolean };
type Operation = { id: string; status: string };

const names: Record<Role, string> = {
  admin: 'Avery Admin',
  dispatcher: 'Dana Dispatcher',
  support: 'Sam Support',
  viewer: 'Vic Viewer',
};

/** Signs in on the sign-in page (where the app sent us, or /sign-in) with a demo account. */
async function signInAs(page: Page, role: Role): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page
    .getByRole('region', { name: 'Demo accounts' })
    .getByRole('button', { name: `Use the ${role} demo account` })
    .click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner')).toContainText(names[role]);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
}

/** This session's CSRF token, as the SPA learns it. */
async function csrfToken(page: Page): Promise<string> {
  const response = await page.request.get('/api/session');
  expect(response.status()).toBe(200);
  return ((await response.json()) as { csrf_token: string }).csrf_token;
}

async function connectionNamed(page: Page, name: string): Promise<Named> {
  const { items } = (await (await page.request.get('/api/connections')).json()) as { items: Named[] };
  const connection = items.find((candidate) => candidate.name === name);
  if (!connection) throw new Error(`the seeded world has no ${name} connection`);
  return connection;
}

async function activeUser(page: Page, connectionId: string, role: 'dispatcher' | 'driver'): Promise<User> {
  const { items } = (await (await page.request.get(`/api/users?connection_id=${connectionId}&role=${role}`)).json()) as {
    items: User[];
  };
  const user = items.find((candidate) => candidate.is_active);
  if (!user) throw new Error(`no active ${role} on connection ${connectionId}`);
  return user;
}

test('a viewer cannot compose: no Compose in the navigation, /compose says so, and the server refuses', async ({ page, sim }) => {
  expect(sim.url).toContain('/_sim');

  // Signed out, the console sends the person to sign in and back to where they were going.
  await page.goto('/compose');
  await expect(page).toHaveURL(/\/sign-in\?redirect=%2Fcompose$/);
  await expect(page.getByRole('region', { name: 'Demo accounts' })).toContainText('runs against the Catena simulator');
  await signInAs(page, 'viewer');

  await expect(page).toHaveURL(/\/compose$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your role (viewer) cannot compose messages' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Operations' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Compose' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Accounts' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await expect(page.getByRole('banner')).toContainText(/Viewer/);

  // The server is the one that enforces it: a hand-made request is refused too.
  const northwind = await connectionNamed(page, 'Northwind Freight');
  const refused = await page.request.post('/api/messages', {
    data: { connection_id: northwind.id, sender_id: 'x', recipient_id: 'y', message_text: 'Not allowed' },
    headers: { 'x-csrf-token': await csrfToken(page), 'Idempotency-Key': `e2e-access-viewer-${Date.now()}` },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  expect((await page.request.get('/api/accounts')).status()).toBe(403);

  // A typed admin address says the same, in words.
  await page.goto('/accounts');
  await expect(page.getByRole('heading', { level: 1, name: 'Your role (viewer) cannot manage accounts' })).toBeVisible();
});

test('a dispatcher sends a message on the Compose page; after sign-out the API answers 401; the admin finds it in the audit log', async ({
  page,
  sim,
}) => {
  expect(sim.url).toContain('/_sim');
  await signInAs(page, 'dispatcher');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Accounts' })).toHaveCount(0);

  const northwind = await connectionNamed(page, 'Northwind Freight');
  const driver = await activeUser(page, northwind.id, 'driver');

  await nav.getByRole('link', { name: 'Compose' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compose' })).toBeVisible();
  await page.getByRole('radio', { name: 'Northwind Freight' }).check();
  await page.getByRole('combobox', { name: 'Sender' }).selectOption({ label: 'Latoya Diaz' });
  await page.getByRole('combobox', { name: 'Find a driver by name' }).fill(driver.name);
  await page.getByRole('option', { name: new RegExp(driver.name) }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill(`Access check ${Date.now()}: dock 7 is free.`);
  await page.getByRole('button', { name: 'Send message' }).click();
  const sent = page.getByRole('region', { name: 'Sent message' });
  await expect(sent).toBeVisible();
  await sent.getByRole('link', { name: 'Open its operation log' }).click();
  await expect(page).toHaveURL(/op=[0-9a-f-]{36}/);
  const operationId = new URL(page.url()).searchParams.get('op');
  expect(operationId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Sign out: back on the sign-in page, and the old session is gone on the server too.
  await signOut(page);
  await expect(page).toHaveURL(/\/sign-in$/);
  const after = await page.request.get('/api/session');
  expect(after.status()).toBe(401);
  expect(((await after.json()) as { error: { code: string } }).error.code).toBe('not_signed_in');
  expect((await page.request.get('/api/operations')).status()).toBe(401);

  await signInAs(page, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Action' }).selectOption('message_sent');
  await expect(page).toHaveURL(/\/audit\?action=message_sent$/);
  const entry = page
    .getByRole('table', { name: /^Audit log/ })
    .getByRole('row')
    .filter({ hasText: operationId! });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('dispatcher@fleetops.demo');
  await expect(entry).toContainText('Sent a message');

  // The same log has the dispatcher's sign-out.
  await page.getByRole('combobox', { name: 'Action' }).selectOption('sign_out');
  await expect(
    page
      .getByRole('table', { name: /^Audit log/ })
      .getByRole('row')
      .filter({ hasText: 'dispatcher@fleetops.demo' })
      .first(),
  ).toContainText('Signed out');
});

test('text that looks like markup is shown as text in the operations table and the drawer', async ({ page, sim }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signInAs(page, 'dispatcher');

  // Coastal Carriers: the fleet revoked our Samsara token, so every write fails with `auth`.
  const coastal = await connectionNamed(page, 'Coastal Carriers');
  await sim.addScenario({ scenario: 'expired_credentials', connection_id: coastal.id });
  const sender = await activeUser(page, coastal.id, 'dispatcher');
  const recipient = await activeUser(page, coastal.id, 'driver');
  const text = `<script>alert(1)</script> and <img src=x onerror=alert(1)> ${Date.now()}`;
  const sent = await page.request.post('/api/messages', {
    data: { connection_id: coastal.id, sender_id: sender.id, recipient_id: recipient.id, message_text: text },
    headers: { 'x-csrf-token': await csrfToken(page), 'Idempotency-Key': `e2e-access-markup-${Date.now()}` },
  });
  expect(sent.status()).toBe(202);
  const { id } = (await sent.json()) as Operation;
  await expect
    .poll(async () => ((await (await page.request.get(`/api/operations/${id}`)).json()) as Operation).status, { timeout: 20_000 })
    .toBe('failed');

  await page.goto('/operations');
  const row = page.getByRole('table', { name: /^Operations:/ }).locator(`tr[data-row-id="${id}"]`);
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText(text);

  await page.goto(`/operations?op=${id}`);
  const drawer = page.getByRole('dialog', { name: 'Operation Create message' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText(text).first()).toBeVisible();
  // The TSP's error detail is shown as text too.
  await expect(drawer).toContainText('token expired or revoked');

  // Nothing was parsed as markup: no element from the text, and no script ran.
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('body script')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
