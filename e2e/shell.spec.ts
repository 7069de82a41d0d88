import { expect, test } from './fixtures.ts';

test('the console opens on the Overview with live health and the seeded connections', async ({ page, sim }) => {
  expect(sim.url).toContain('/_sim');
  await page.goto('/');

  // Header: product name, main navigation, health.
  const header = page.getByRole('banner');
  await expect(header).toContainText('Fleet Ops Console');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');

  const status = header.getByRole('button', { name: /system status/i });
  await expect(status).toHaveAccessibleName('System status: Catena connected');
  await status.click();
  const details = page.getByRole('region', { name: 'System status' });
  await expect(details).toContainText(/Console server\s*Reachable/i);
  await expect(details).toContainText(/Catena API\s*Reachable/i);
  await expect(details).toContainText(/Webhooks/i);
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
  await expect(status).toBeFocused();

  // Overview: the simulator's seeded connections, non-active ones marked in words.
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const connections = page.getByRole('table', { name: /connections/i });
  const northwind = connections.getByRole('row', { name: /Northwind Freight/ });
  await expect(northwind).toContainText(/samsara/i);
  await expect(northwind).toContainText('Active');
  await expect(connections.getByRole('row', { name: /Summit Transport/ })).toContainText('Paused');
});

test('keyboard users can skip straight to the content', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();

  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  // The next Tab goes into the page, not back through the header.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Refresh connections' })).toBeFocused();
});
