import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/*
 * A phone (390×844): every list reads as cards with its key fields, the page never scrolls
 * sideways, the drawer takes the whole screen, and the Operations filters sit in one sheet.
 */
test.use({ viewport: { width: 390, height: 844 } });

type Connection = { id: string; name: string };
type User = { id: string; is_active: boolean };

/** `document.documentElement.scrollWidth`: wider than the screen would mean the page scrolls sideways. */
async function noSidewaysScroll(page: Page) {
  await expect.poll(() => page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
}

/** The card's field (a <dt> and its <dd>), as a person reads it: "Status" then "Failed". */
function field(card: ReturnType<Page['getByRole']>, label: string) {
  return card.locator('dt', { hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
}

async function fleet(request: APIRequestContext, name: string) {
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const connection = connections.find((candidate) => candidate.name === name);
  if (!connection) throw new Error(`no connection named ${name}`);
  const users = async (role: string) =>
    ((await (await request.get(`/api/users?connection_id=${connection.id}&role=${role}`)).json()) as { items: User[] }).items.filter(
      (user) => user.is_active,
    );
  return { connection, sender: (await users('dispatcher'))[0]!, drivers: await users('driver') };
}

test('Operations on a phone: cards with the key fields, a full-screen drawer from a card, filters from one sheet', async ({ page, request, sim }) => {
  // One failed message, so a card shows a status and a last error in words.
  const coastal = await fleet(request, 'Coastal Carriers');
  await sim.addScenario({ scenario: 'expired_credentials', connection_id: coastal.connection.id });
  const text = `Phone e2e ${Date.now()}: gate code changed`;
  const sent = await request.post('/api/messages', {
    data: { connection_id: coastal.connection.id, sender_id: coastal.sender.id, recipient_id: coastal.drivers[0]!.id, message_text: text },
    headers: { 'Idempotency-Key': `e2e-phone-${Date.now()}` },
  });
  expect(sent.status()).toBe(202);

  await page.goto('/operations');
  const cards = page.getByRole('list', { name: /^Operations:/ });
  await expect(cards.getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('table', { name: /^Operations:/ })).toHaveCount(0);
  const card = cards.getByRole('listitem').filter({ hasText: text });
  await expect(field(card, 'Status')).toHaveText(/Failed/, { timeout: 20_000 });
  await expect(field(card, 'Last error')).toHaveText(/Auth/);
  await expect(field(card, 'Connection')).toHaveText(/Coastal Carriers/);
  await expect(field(card, 'Created')).toBeVisible();
  await expect(card.getByRole('link', { name: /^Message to / })).toBeVisible();
  await noSidewaysScroll(page);

  // A tap on the card (not on its link) opens the drawer, over the whole screen.
  await field(card, 'Connection').click();
  const drawer = page.getByRole('dialog', { name: /^Operation/ });
  await expect(drawer).toBeVisible();
  await expect.poll(async () => (await drawer.boundingBox())?.width).toBe(390);
  const close = drawer.getByRole('button', { name: 'Close operation details' });
  await expect(close).toBeVisible();
  await close.click();
  await expect(drawer).toHaveCount(0);
  await expect(card.getByRole('link', { name: /^Message to / })).toBeFocused();

  // The filters: one button, one sheet, the choice in the URL.
  await page.getByRole('button', { name: 'Filters', exact: true }).click();
  const sheet = page.getByRole('dialog', { name: 'Filters' });
  await sheet.getByRole('button', { name: 'Status: any' }).click();
  await sheet.getByRole('checkbox', { name: /Failed/ }).check();
  await sheet.getByRole('button', { name: 'Show operations' }).click();
  await expect(sheet).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]status=failed/);
  await expect(page.getByRole('button', { name: 'Filters (1)' })).toBeVisible();
  await expect(cards.getByRole('listitem').filter({ hasText: text })).toBeVisible();
  await noSidewaysScroll(page);

  // Bulk resend reads as cards too: resend this failure once the fleet re-authorised.
  expect((await fetch(`${sim.url}/scenarios`, { method: 'DELETE' })).ok).toBe(true);
  await card.getByRole('checkbox', { name: /^Select operation / }).check();
  await page.getByRole('button', { name: 'Resend…' }).click();
  await page
    .getByRole('alertdialog', { name: 'Resend 1 operation?' })
    .getByRole('button', { name: /^Resend 1/ })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: /^Bulk resend of 1 operation/ })).toBeVisible();
  const items = page.getByRole('list', { name: /^Items:/ });
  await expect(field(items.getByRole('listitem').first(), 'State')).toBeVisible();
  await expect(field(items.getByRole('listitem').first(), 'Connection')).toHaveText(/Coastal Carriers/);
  await noSidewaysScroll(page);

  await page.goto('/resend-batches');
  const batches = page.getByRole('list', { name: /^Bulk resends:/ });
  await expect(field(batches.getByRole('listitem').first(), 'By')).toBeVisible();
  await expect(field(batches.getByRole('listitem').first(), 'Progress')).toBeVisible();
  await noSidewaysScroll(page);
});

test('broadcasts, recipients, accounts and the audit log read as cards on a phone', async ({ page, request }) => {
  const northwind = await fleet(request, 'Northwind Freight');
  const text = `Phone e2e broadcast ${Date.now()}: fuel card update`;
  const created = await request.post('/api/broadcasts', {
    data: {
      connection_id: northwind.connection.id,
      sender_id: northwind.sender.id,
      recipient_ids: northwind.drivers.slice(0, 2).map((driver) => driver.id),
      message_text: text,
    },
    headers: { 'Idempotency-Key': `e2e-phone-broadcast-${Date.now()}` },
  });
  expect(created.ok()).toBe(true);

  await page.goto('/broadcasts');
  const broadcasts = page.getByRole('list', { name: /^Broadcasts/ });
  const broadcast = broadcasts.getByRole('listitem').filter({ hasText: text });
  await expect(field(broadcast, 'From')).toBeVisible();
  await expect(field(broadcast, 'Connection')).toHaveText(/Northwind Freight/);
  await expect(field(broadcast, 'When')).toBeVisible();
  await expect(broadcast.getByRole('progressbar')).toBeVisible();
  await noSidewaysScroll(page);

  await broadcast.getByRole('link', { name: /Phone e2e broadcast/ }).click();
  const recipients = page.getByRole('list', { name: /^Recipients/ });
  await expect(recipients.getByRole('listitem')).toHaveCount(2);
  await expect(field(recipients.getByRole('listitem').first(), 'Status')).toHaveText(/Pending|Succeeded|Queued|Failed/);
  await noSidewaysScroll(page);

  await page.goto('/accounts');
  const accounts = page.getByRole('list', { name: /^Accounts/ });
  const account = accounts.getByRole('listitem').first();
  await expect(field(account, 'Role')).toBeVisible();
  await expect(field(account, 'Status')).toBeVisible();
  await expect(field(account, 'Last sign-in')).toBeVisible();
  await noSidewaysScroll(page);

  await page.goto('/audit');
  const audit = page.getByRole('list', { name: /^Audit log/ });
  const entry = audit.getByRole('listitem').first();
  await expect(field(entry, 'When')).toBeVisible();
  await expect(field(entry, 'Who')).toBeVisible();
  await noSidewaysScroll(page);
});
