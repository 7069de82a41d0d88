import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

type Connection = { id: string; name: string };

async function connectionId(request: import('@playwright/test').APIRequestContext, name: string): Promise<string> {
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const found = connections.find((connection) => connection.name === name);
  if (!found) throw new Error(`no connection named ${name}`);
  return found.id;
}

/** Compose → all drivers of a connection → Send broadcast; lands on the broadcast's page. */
async function broadcastToAllDrivers(page: Page, fleet: string, drivers: number, text: string, sender?: string) {
  await page.goto('/compose');
  await page.getByRole('radio', { name: fleet }).check();
  await page.getByRole('combobox', { name: 'Sender' }).selectOption(sender ? { label: sender } : { index: 1 });
  await page.getByRole('checkbox', { name: `All drivers of ${fleet}` }).check();
  await expect(page.getByText(`Sends ${drivers} messages: one to each active driver of ${fleet}`)).toBeVisible();
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send broadcast' }).click();
  // A whole fleet is confirmed by name and count first.
  await page
    .getByRole('alertdialog', { name: `Send to all ${drivers} drivers of ${fleet}?` })
    .getByRole('button', { name: /^Send/ })
    .click();
  await expect(page).toHaveURL(/\/broadcasts\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: `Broadcast to all drivers of ${fleet}` })).toBeVisible();
}

const recipientRows = (page: Page) => page.getByRole('table', { name: /^Recipients/ }).locator('tbody tr');

test('a broadcast to a whole fleet on a flaky network reaches every driver, and the counts add up', async ({ page, request, sim }) => {
  const northwind = await connectionId(request, 'Northwind Freight');
  await sim.addScenario({ scenario: 'flaky_network', connection_id: northwind });

  const text = `E2E broadcast ${Date.now()}: high winds on I-55, empty trailers stay parked.`;
  await broadcastToAllDrivers(page, 'Northwind Freight', 13, text, 'Latoya Diaz');

  // Live: every recipient ends in success, each after the two network failures the scenario causes.
  const progress = page.getByRole('progressbar', { name: 'Delivery progress' });
  await expect(progress).toHaveAttribute('aria-valuetext', '13 of 13 finished: 13 succeeded, 0 failed, 0 pending, 0 queued', {
    timeout: 30_000,
  });
  await expect(page.getByText('Every recipient has a final status.')).toBeVisible();
  await expect(recipientRows(page)).toHaveCount(13);
  for (const row of await recipientRows(page).all()) {
    await expect(row).toContainText('Succeeded');
    await expect(row.getByRole('cell').nth(2)).toHaveText('3');
    await expect(row).toContainText('Network error');
  }
  await expect(page.getByRole('button', { name: 'Resend to failed recipients' })).toHaveCount(0);

  // The filter lives in the address.
  await page.getByText('Failed 0').click();
  await expect(page).toHaveURL(/[?&]status=failed/);
  await expect(page.getByRole('heading', { name: 'No failed recipients' })).toBeVisible();

  // The list shows it too, with its counts in words.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Broadcasts' }).click();
  const row = page.getByRole('table', { name: /^Broadcasts/ }).getByRole('row', { name: new RegExp(text.slice(0, 30)) });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuetext', '13 of 13 finished: 13 succeeded, 0 failed, 0 pending, 0 queued');
  await expect(row).toContainText('Latoya Diaz');
});

test('a fleet-wide broadcast fails in an outage; resent once after recovery, every driver has it once and nothing is left to resend', async ({
  page,
  request,
  sim,
}) => {
  const prairie = await connectionId(request, 'Prairie Haulers');
  await sim.addScenario({ scenario: 'outage', connection_id: prairie });
  const text = `E2E broadcast ${Date.now()}: the Geotab outage story.`;
  await broadcastToAllDrivers(page, 'Prairie Haulers', 10, text);

  const progress = page.getByRole('progressbar', { name: 'Delivery progress' });
  await expect(progress).toHaveAttribute('aria-valuetext', '10 of 10 finished: 0 succeeded, 10 failed, 0 pending, 0 queued', { timeout: 60_000 });

  // Geotab recovers.
  const cleared = await fetch(`${sim.url}/scenarios`, { method: 'DELETE' });
  expect(cleared.ok).toBe(true);
  await page.getByRole('button', { name: 'Resend to 10 failed recipients' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Resend to 10 failed recipients?' });
  await expect(dialog).toContainText('Nobody else gets anything');
  await dialog.getByRole('button', { name: 'Resend to 10 recipients' }).click();

  // The same page follows the resend: each recipient's newest state, with its history.
  await expect(progress).toHaveAttribute('aria-valuetext', '10 of 10 finished: 10 succeeded, 0 failed, 0 pending, 0 queued', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: /Resend to .* failed/ })).toHaveCount(0);
  await expect(page.getByText(/Nothing to resend: Every recipient/)).toBeVisible();
  for (const row of await recipientRows(page).all()) await expect(row).toContainText(/Failed .*→ resent → Delivered/);

  // And the drawer of a first send says it was already resent, instead of offering Resend.
  await recipientRows(page).first().getByRole('link').first().click();
  const drawer = page.getByRole('dialog');
  await drawer.getByRole('button', { name: /^First send [0-9a-f]{8}/ }).click();
  await expect(drawer.getByText(/Already resent as .* \(Succeeded\)/)).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Resend message…' })).toHaveCount(0);
});
