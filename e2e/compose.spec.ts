import { expect, test } from './fixtures.ts';

type Named = { id: string; name: string };
type Connection = Named & { can_send: boolean };
type User = Named & { is_active: boolean };

test('a dispatcher writes a message, keeps the draft over a reload, sends it and watches it succeed', async ({ page, request, sim }) => {
  expect(sim.url).toContain('/_sim');
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const northwind = connections.find((connection) => connection.name === 'Northwind Freight');
  expect(northwind?.can_send).toBe(true);
  const drivers = ((await (await request.get(`/api/users?connection_id=${northwind!.id}&role=driver`)).json()) as { items: User[] }).items;
  const driver = drivers.find((user) => user.is_active)!;
  const inactive = drivers.find((user) => !user.is_active)!;

  await page.goto('/compose');
  await expect(page.getByRole('heading', { level: 1, name: 'Compose' })).toBeVisible();

  // A paused connection says why, and nothing goes through it.
  await expect(page.getByRole('radio', { name: 'Summit Transport' })).toHaveAccessibleDescription(/Paused.*Cannot send/);

  await page.getByRole('radio', { name: 'Northwind Freight' }).check();
  await page.getByRole('combobox', { name: 'Sender' }).selectOption({ label: 'Latoya Diaz' });

  const combobox = page.getByRole('combobox', { name: 'Find a driver by name' });
  await combobox.fill(inactive.name.split(' ')[0]!);
  await expect(page.getByRole('option', { name: new RegExp(inactive.name) })).toHaveAttribute('aria-disabled', 'true');
  await combobox.fill(driver.name);
  await page.getByRole('option', { name: new RegExp(driver.name) }).click();
  await expect(page.getByRole('list', { name: 'Chosen drivers' })).toContainText(driver.name);
  await expect(page.getByText('Sends 1 message', { exact: true })).toBeVisible();

  const text = `E2E compose ${Date.now()}: trailer 4471 is ready at door 12.`;
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill(text);
  await expect(page.getByText(`${text.length} / 2,500 characters (Samsara’s limit)`)).toBeVisible();

  // The draft lives on this device: a reload brings all of it back.
  await page.reload();
  await expect(message).toHaveValue(text);
  await expect(page.getByRole('radio', { name: 'Northwind Freight' })).toBeChecked();
  await expect(page.getByRole('combobox', { name: 'Sender' })).toHaveValue(/[0-9a-f-]{36}/);
  await expect(page.getByRole('list', { name: 'Chosen drivers' })).toContainText(driver.name);

  await page.getByRole('button', { name: 'Send message' }).click();

  const sent = page.getByRole('region', { name: 'Sent message' });
  await expect(sent).toBeVisible();
  await expect(sent.getByText('Succeeded', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(sent.getByRole('status')).toContainText(`Delivered: the TSP accepted the message for ${driver.name}.`);
  // Accepted by the server: the text and the recipients are gone (the next driver picked is not a
  // second recipient of this message); connection and sender stay.
  await expect(message).toHaveValue('');
  await expect(page.getByRole('list', { name: 'Chosen drivers' }).getByText(driver.name)).toHaveCount(0);
  await expect(page.getByRole('radio', { name: 'Northwind Freight' })).toBeChecked();

  await sent.getByRole('link', { name: 'Open its operation log' }).click();
  await expect(page).toHaveURL(/\/operations\?.*op=[0-9a-f-]{36}/);
  await expect(page.getByRole('dialog')).toContainText(text);
});
