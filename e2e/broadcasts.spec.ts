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
  if (sender) await page.getByRole('combobox', { name: 'Sender' }).selectOption({ label: sender });
  await page.getByRole('checkbox', { name: `All drivers of ${fleet}` }).check();
  await expect(page.getByText(`Sends ${drivers} messages: one to each active driver of ${fleet}`)).toBeVisible();
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send broadcast' }).click();
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
    await expect(row.getByRole('cell').nth(1)).toHaveText('3');
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

test('a broadcast on expired credentials fails with auth; resent once the fleet re-authorised, it succeeds', async ({ page, sim }) => {
  // The fixture reset the simulator: Coastal Carriers' credentials are expired again.
  const text = `E2E broadcast ${Date.now()}: update your hours of service before the end of your shift.`;
  await broadcastToAllDrivers(page, 'Coastal Carriers', 9, text);

  const progress = page.getByRole('progressbar', { name: 'Delivery progress' });
  await expect(progress).toHaveAttribute('aria-valuetext', '9 of 9 finished: 0 succeeded, 9 failed, 0 pending, 0 queued', {
    timeout: 30_000,
  });
  for (const row of await recipientRows(page).all()) {
    await expect(row).toContainText('Failed');
    await expect(row).toContainText('Auth error');
  }
  const original = page.url();

  // The fleet re-authorises the connection.
  const cleared = await fetch(`${sim.url}/scenarios`, { method: 'DELETE' });
  expect(cleared.ok).toBe(true);

  await page.getByRole('button', { name: 'Resend to failed recipients' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Resend to 9 failed recipients?' });
  await expect(dialog).toContainText('All of them failed with an auth error');
  await expect(dialog).toContainText('They will fail again unless the fleet has re-authorised the connection since.');
  await dialog.getByRole('button', { name: 'Resend to 9 recipients' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Broadcast to 9 drivers of Coastal Carriers' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Resend of an earlier broadcast' })).toHaveAttribute('href', new URL(original).pathname);
  await expect(progress).toHaveAttribute('aria-valuetext', '9 of 9 finished: 9 succeeded, 0 failed, 0 pending, 0 queued', {
    timeout: 30_000,
  });

  // And the original links to its resend.
  await page.getByRole('link', { name: 'Resend of an earlier broadcast' }).click();
  await expect(page.getByRole('link', { name: 'Resent as a new broadcast' })).toBeVisible();
});
