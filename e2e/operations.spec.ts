import { expect, test } from './fixtures.ts';

type Named = { id: string; name: string };
type Connection = Named & { can_send: boolean; status: string };
type User = Named & { is_active: boolean };

const operationsTable = (page: import('@playwright/test').Page) => page.getByRole('table', { name: /^Operations:/ });

test('filters the operations to one connection, in the table and in the address', async ({ page, sim }) => {
  expect(sim.url).toContain('/_sim');
  await page.goto('/operations');
  await expect(page.getByRole('heading', { level: 1, name: 'Operations' })).toBeVisible();

  // The simulator's seeded history (about 150 operations over the last 24 hours) comes from several
  // fleets; what other tests sent lately may fill the first screen, so filter to see one fleet.
  const table = operationsTable(page);
  const rows = table.locator('tbody tr[data-row-id]');
  await expect(rows.first()).toBeVisible({ timeout: 20_000 });

  await page.getByRole('button', { name: 'Connection: any' }).click();
  await page.getByRole('checkbox', { name: /Prairie Haulers/ }).check();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Connection: Prairie Haulers' })).toBeVisible();
  await expect(rows.first()).toContainText('Prairie Haulers');
  for (const row of await rows.all()) await expect(row).toContainText('Prairie Haulers');

  await page.getByRole('button', { name: 'Connection: Prairie Haulers' }).click();
  await page.getByRole('checkbox', { name: /Prairie Haulers/ }).uncheck();
  await page.getByRole('checkbox', { name: /Northwind Freight/ }).check();
  await page.keyboard.press('Escape');

  await expect(page).toHaveURL(/[?&]connection=[0-9a-f-]{36}/);
  await expect(page.getByRole('button', { name: 'Connection: Northwind Freight' })).toBeVisible();
  await expect(table.getByText('Prairie Haulers')).toHaveCount(0);
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) await expect(row).toContainText('Northwind Freight');

  // The counts follow the filter, and a reload keeps the view.
  const glance = page.getByRole('region', { name: /operations? · last 24 hours/i });
  await expect(glance).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Connection: Northwind Freight' })).toBeVisible();
  await expect(rows.first()).toContainText('Northwind Freight');
});

test('a message sent through the API appears in the table and turns to succeeded without a reload', async ({ page, request, sim }) => {
  expect(sim.url).toContain('/_sim');
  await page.goto('/operations');
  const table = operationsTable(page);
  await expect(table.locator('tbody tr[data-row-id]').first()).toBeVisible({ timeout: 20_000 });
  // Nobody is reading: the pointer is away from the rows and the list is at the top.
  await page.mouse.move(0, 0);

  const connections = (await (await request.get('/api/connections')).json()) as { items: Connection[] };
  const connection = connections.items.find((candidate) => candidate.name === 'Northwind Freight');
  expect(connection?.can_send).toBe(true);
  const users = async (role: string) =>
    ((await (await request.get(`/api/users?connection_id=${connection!.id}&role=${role}`)).json()) as { items: User[] }).items;
  const sender = (await users('dispatcher')).find((user) => user.is_active)!;
  const recipient = (await users('driver')).find((user) => user.is_active)!;

  const text = `E2E check ${Date.now()}: trailer 4471 is ready at door 12`;
  const sent = await request.post('/api/messages', {
    data: { connection_id: connection!.id, sender_id: sender.id, recipient_id: recipient.id, message_text: text },
    headers: { 'Idempotency-Key': `e2e-operations-${Date.now()}` },
  });
  expect(sent.status()).toBe(202);
  const { id } = (await sent.json()) as { id: string };

  const row = table.locator(`tr[data-row-id="${id}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByRole('link', { name: `Message to ${recipient.name}: ${text}` })).toBeVisible();
  await expect(row).toContainText('Northwind Freight');
  await expect(row).toContainText('Succeeded', { timeout: 20_000 });
  // Still the same page: it was never reloaded, the row changed in place.
  await expect(page.getByText(/^Updated (just now|\d+ s ago)$/)).toBeVisible();
});
