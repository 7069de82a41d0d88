import { expect, test } from './fixtures.ts';
import { expectNoSeriousViolations } from './axe.ts';

/*
 * axe on every page, in both themes (e2e/axe.ts). One test walks the pages; the surfaces that
 * open on top of them (the drawer, dialogs, menus) are checked where the flows that open them are.
 */

const pages: readonly { path: string; heading: string | RegExp }[] = [
  { path: '/', heading: 'Overview' },
  { path: '/compose', heading: 'Compose' },
  { path: '/broadcasts', heading: 'Broadcasts' },
  { path: '/operations', heading: 'Operations' },
  { path: '/resend-batches', heading: 'Bulk resends' },
  { path: '/accounts', heading: 'Accounts' },
  { path: '/audit', heading: 'Audit log' },
  { path: '/webhooks', heading: 'Webhooks' },
  { path: '/demo', heading: 'Demo' },
];

test('every page passes axe in the light and the dark theme', async ({ page, sim }) => {
  // Eighteen full-page axe runs on a shared 2-core machine.
  test.setTimeout(90_000);
  expect(sim.url).toContain('/_sim');
  for (const { path, heading } of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    // What the page loads (tables, counts) is on screen, not its skeleton.
    await expect(page.locator('[aria-busy="true"], .animate-pulse')).toHaveCount(0);
    await expectNoSeriousViolations(page, path);
  }
});

test('the sign-in page passes axe in the light and the dark theme', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page, '/sign-in');
  await context.close();
});

type Connection = { id: string; name: string };
type User = { id: string; is_active: boolean };
type Operation = { id: string; status: string };

test('the operation drawer, the resend dialogs, the shortcuts dialog and every menu of Operations pass axe', async ({ page, request, sim }) => {
  test.setTimeout(120_000);
  // One failed message to open things on: Coastal Carriers' revoked credentials fail it at once.
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const coastal = connections.find((connection) => connection.name === 'Coastal Carriers');
  if (!coastal) throw new Error('the seeded world has no Coastal Carriers connection');
  await sim.addScenario({ scenario: 'expired_credentials', connection_id: coastal.id });
  const users = async (role: string) =>
    ((await (await request.get(`/api/users?connection_id=${coastal.id}&role=${role}`)).json()) as { items: User[] }).items;
  const sender = (await users('dispatcher')).find((user) => user.is_active)!;
  const recipient = (await users('driver')).find((user) => user.is_active)!;
  const text = `Axe ${Date.now()}: the yard closes at six`;
  const sent = await request.post('/api/messages', {
    data: { connection_id: coastal.id, sender_id: sender.id, recipient_id: recipient.id, message_text: text },
    headers: { 'Idempotency-Key': `e2e-axe-${Date.now()}` },
  });
  expect(sent.status()).toBe(202);
  const { id } = (await sent.json()) as Operation;
  await expect
    .poll(async () => ((await (await request.get(`/api/operations/${id}`)).json()) as Operation).status, { timeout: 20_000 })
    .toBe('failed');

  await page.goto(`/operations?q=${encodeURIComponent(text)}`);
  const table = page.getByRole('table', { name: /^operations:/i });
  await expect(table.getByRole('row')).toHaveCount(2);

  // Menus: each filter, and the header's system status.
  for (const filter of ['Connection', 'Resource', 'Status', 'Type', 'Error type']) {
    const button = page.getByRole('button', { name: new RegExp(`^${filter}:`) });
    await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expectNoSeriousViolations(page, `the ${filter} filter menu`);
    await page.keyboard.press('Escape');
    await expect(button).toHaveAttribute('aria-expanded', 'false');
  }
  await page.getByRole('button', { name: /^System status/ }).click();
  await expect(page.getByRole('region', { name: 'System status' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the system status popover');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the shortcuts dialog');
  await page.keyboard.press('Escape');

  // The drawer, and the resend confirmation on top of it.
  await table.getByRole('row').nth(1).getByRole('link').first().click();
  const drawer = page.getByRole('dialog', { name: /^Operation/ });
  await expect(drawer.getByRole('region', { name: 'Summary' })).toContainText('Failed');
  await expectNoSeriousViolations(page, 'the operation drawer');
  await drawer.getByRole('button', { name: 'Resend message…' }).click();
  await expect(page.getByRole('alertdialog', { name: 'Resend this message?' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the resend confirmation');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // The bulk resend preview, and the batch page it leads to.
  expect((await fetch(`${sim.url}/scenarios`, { method: 'DELETE' })).ok).toBe(true);
  await table.getByRole('checkbox', { name: `Select operation ${id.slice(0, 8)}` }).check();
  await page.getByRole('button', { name: 'Resend…' }).click();
  const preview = page.getByRole('alertdialog', { name: 'Resend 1 operation?' });
  await expect(preview).toContainText('will be resent');
  await expectNoSeriousViolations(page, 'the bulk resend preview');
  await preview.getByRole('button', { name: 'Resend 1 operation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Bulk resend of 1 operation/ })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Resend progress' })).toHaveAttribute('aria-valuetext', /^1 of 1 handled/, {
    timeout: 30_000,
  });
  await expectNoSeriousViolations(page, 'a resend batch page');
});

test('the broadcast confirmation, a broadcast page and the account dialogs pass axe', async ({ page, sim }) => {
  test.setTimeout(90_000);
  expect(sim.url).toContain('/_sim');
  await page.goto('/compose');
  await page.getByRole('radio', { name: 'Northwind Freight' }).check();
  await page.getByRole('combobox', { name: 'Sender' }).selectOption({ index: 1 });
  await page.getByRole('checkbox', { name: 'All drivers of Northwind Freight' }).check();
  await page.getByRole('textbox', { name: 'Message' }).fill(`Axe broadcast ${Date.now()}: fuel card limits reset tonight.`);
  await expectNoSeriousViolations(page, 'Compose, filled in');
  await page.getByRole('button', { name: 'Send broadcast' }).click();
  const confirm = page.getByRole('alertdialog', { name: /^Send to all \d+ drivers of Northwind Freight\?/ });
  await expect(confirm).toBeVisible();
  await expectNoSeriousViolations(page, 'the broadcast confirmation');
  await confirm.getByRole('button', { name: /^Send/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Broadcast to all drivers of Northwind Freight' })).toBeVisible();
  await expect(page.getByRole('table', { name: /^Recipients/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'a broadcast page');

  await page.goto('/accounts');
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('dialog', { name: /add/i })).toBeVisible();
  await expectNoSeriousViolations(page, 'the add account dialog');
  await page.keyboard.press('Escape');
  await page
    .getByRole('button', { name: /^Reset password for / })
    .first()
    .click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousViolations(page, 'the reset password dialog');
  await page.keyboard.press('Escape');

  // Changing someone else's role asks first; Escape keeps the role as it was.
  const support = page.getByRole('combobox', { name: 'Role of support@fleetops.demo' });
  await support.selectOption('dispatcher');
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await expectNoSeriousViolations(page, 'the role change confirmation');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(support).toHaveValue('support');

  await page.goto('/demo');
  await page.getByRole('button', { name: 'Reset the demo' }).click();
  await expect(page.getByRole('alertdialog', { name: 'Reset the demo to its seed?' })).toBeVisible();
  await expectNoSeriousViolations(page, 'the demo reset confirmation');
  await page.keyboard.press('Escape');
});

test('a broadcast with failed recipients and its resend confirmation pass axe', async ({ page, request, sim }) => {
  test.setTimeout(90_000);
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const coastal = connections.find((connection) => connection.name === 'Coastal Carriers');
  if (!coastal) throw new Error('the seeded world has no Coastal Carriers connection');
  await sim.addScenario({ scenario: 'expired_credentials', connection_id: coastal.id });
  await page.goto('/compose');
  await page.getByRole('radio', { name: 'Coastal Carriers' }).check();
  await page.getByRole('combobox', { name: 'Sender' }).selectOption({ index: 1 });
  await page.getByRole('checkbox', { name: 'All drivers of Coastal Carriers' }).check();
  await page.getByRole('textbox', { name: 'Message' }).fill(`Axe failed broadcast ${Date.now()}: the depot moved.`);
  await page.getByRole('button', { name: 'Send broadcast' }).click();
  await page
    .getByRole('alertdialog', { name: /^Send to all \d+ drivers of Coastal Carriers\?/ })
    .getByRole('button', { name: /^Send/ })
    .click();
  const resend = page.getByRole('button', { name: /^Resend to \d+ failed recipients?/ });
  await expect(resend).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page, 'a broadcast with failed recipients');
  await resend.click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await expectNoSeriousViolations(page, 'the resend to failed recipients confirmation');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the main menu, the Operations cards and the filters sheet pass axe', async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto('/operations');
    await expect(
      page
        .getByRole('list', { name: /^Operations:/ })
        .getByRole('listitem')
        .first(),
    ).toBeVisible();
    await expectNoSeriousViolations(page, 'Operations as cards');

    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Broadcasts' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the main menu on a phone');
    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(menu).toBeFocused();

    await page.getByRole('button', { name: 'Filters', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Filters' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the filters sheet');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Filters' })).toHaveCount(0);
  });
});
