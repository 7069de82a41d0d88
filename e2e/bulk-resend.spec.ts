import { expect, test } from './fixtures.ts';

type Connection = { id: string; name: string };
type User = { id: string; is_active: boolean };
type Operation = { id: string; status: string };

test('support selects failed messages, sees the server’s preview, and resends them in one paced batch that ends with a summary', async ({
  page,
  request,
  sim,
}) => {
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const coastal = connections.find((c) => c.name === 'Coastal Carriers');
  if (!coastal) throw new Error('no Coastal Carriers');
  await sim.addScenario({ scenario: 'expired_credentials', connection_id: coastal.id });
  const users = async (role: string) =>
    ((await (await request.get(`/api/users?connection_id=${coastal.id}&role=${role}`)).json()) as { items: User[] }).items;
  const sender = (await users('dispatcher')).find((u) => u.is_active)!;
  const drivers = (await users('driver')).filter((u) => u.is_active).slice(0, 3);
  const text = `Bulk e2e ${Date.now()}: trailer swap at dock 9`;
  const ids: string[] = [];
  for (const driver of drivers) {
    const sent = await request.post('/api/messages', {
      data: { connection_id: coastal.id, sender_id: sender.id, recipient_id: driver.id, message_text: text },
      headers: { 'Idempotency-Key': `e2e-bulk-${driver.id}-${Date.now()}` },
    });
    expect(sent.status()).toBe(202);
    ids.push(((await sent.json()) as Operation).id);
  }
  for (const id of ids) {
    await expect
      .poll(async () => ((await (await request.get(`/api/operations/${id}`)).json()) as Operation).status, { timeout: 20_000 })
      .toBe('failed');
  }
  // The fleet re-authorised.
  expect((await fetch(`${sim.url}/scenarios`, { method: 'DELETE' })).ok).toBe(true);

  await page.goto(`/operations?q=${encodeURIComponent(text)}`);
  const table = page.getByRole('table', { name: /operations/i });
  for (const id of ids.slice(0, 2)) await table.getByRole('checkbox', { name: `Select operation ${id.slice(0, 8)}` }).check();
  await expect(page.getByRole('status').filter({ hasText: '2 operations selected' })).toBeVisible();
  await page.getByRole('button', { name: 'Select all 3 matching this filter' }).click();
  await page.getByRole('button', { name: 'Resend…' }).click();
  const preview = page.getByRole('alertdialog', { name: 'Resend 3 operations?' });
  await expect(preview).toContainText('Of 3 selected operations: 3 will be resent');
  await preview.getByRole('button', { name: 'Resend 3 operations' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Bulk resend of 3 operations' })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Resend progress' })).toHaveAttribute('aria-valuetext', /^3 of 3 handled: 3 delivered$/, {
    timeout: 30_000,
  });
  await expect(page.getByText(/Summary: 3 resent: 3 delivered/)).toBeVisible();

  // Nothing is left to resend: the same selection now previews zero.
  await page.goto(`/operations?q=${encodeURIComponent(text)}`);
  await page
    .getByRole('table', { name: /operations/i })
    .getByRole('checkbox', { name: `Select operation ${ids[0]!.slice(0, 8)}` })
    .check();
  await page.getByRole('button', { name: 'Resend…' }).click();
  const again = page.getByRole('alertdialog', { name: 'Resend 0 operations?' });
  await expect(again).toContainText('already resent');
  await expect(again.getByRole('button', { name: /^Resend \d/ })).toHaveCount(0);
});
