import { expect, test } from './fixtures.ts';

type Connection = { id: string; name: string; tsp: string };
type User = { id: string; name: string; is_active: boolean };
type Operation = { id: string; status: string; resend_of: string | null };

test('an auth failure is explained in the drawer, resent once the fleet re-authorised, and the resend succeeds', async ({ page, request, sim }) => {
  // Coastal Carriers: the fleet revoked our Samsara token, so every write fails with `auth`.
  const connections = (await (await request.get('/api/connections')).json()) as { items: Connection[] };
  const coastal = connections.items.find((candidate) => candidate.name === 'Coastal Carriers');
  if (!coastal) throw new Error('the seeded world has no Coastal Carriers connection');
  const scenarioId = await sim.addScenario({ scenario: 'expired_credentials', connection_id: coastal.id });
  const users = async (role: string) =>
    ((await (await request.get(`/api/users?connection_id=${coastal.id}&role=${role}`)).json()) as { items: User[] }).items;
  const sender = (await users('dispatcher')).find((user) => user.is_active);
  const recipient = (await users('driver')).find((user) => user.is_active);
  if (!sender || !recipient) throw new Error('Coastal Carriers has no active dispatcher and driver');

  const sent = await request.post('/api/messages', {
    data: {
      connection_id: coastal.id,
      sender_id: sender.id,
      recipient_id: recipient.id,
      message_text: `Drawer check ${Date.now()}: gate 3 at the Savannah terminal is open again`,
    },
    headers: { 'Idempotency-Key': `e2e-drawer-${Date.now()}` },
  });
  expect(sent.status()).toBe(202);
  const { id } = (await sent.json()) as Operation;
  await expect
    .poll(async () => ((await (await request.get(`/api/operations/${id}`)).json()) as Operation).status, { timeout: 20_000 })
    .toBe('failed');

  // A deep link opens the drawer on that operation.
  await page.goto(`/operations?op=${id}`);
  const drawer = page.getByRole('dialog', { name: 'Operation Create message' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText(id, { exact: true })).toBeVisible();
  await expect(drawer.getByRole('region', { name: 'Summary' })).toContainText(
    "Failed on the first attempt: Samsara rejected the connection's credentials (HTTP 401).",
  );
  const explanation = drawer.getByRole('article', { name: "Samsara rejected the fleet's credentials" });
  await expect(explanation).toContainText('Ask Coastal Carriers to re-authorise this connection with Samsara');
  await expect(explanation).toContainText('Will fail again.');
  const attempts = drawer.getByRole('region', { name: /^Attempts/ }).getByRole('listitem');
  await expect(attempts).toHaveCount(1);
  await expect(attempts.first()).toContainText('Auth error');
  await expect(attempts.first()).toContainText('HTTP 401');
  await expect(attempts.first()).toContainText('token expired or revoked');
  const payload = drawer.getByRole('table', { name: 'What we asked Catena, and what Catena sent to Samsara' });
  await expect(payload.getByRole('row', { name: /^Sender/ })).toContainText(sender.name);
  await expect(payload.getByRole('row', { name: /^Recipient/ })).toContainText(recipient.name);

  // The fleet re-authorised the connection: the failure scenario goes away.
  const cleared = await request.delete(`${sim.url}/scenarios/${scenarioId}`);
  expect(cleared.ok()).toBe(true);

  await drawer.getByRole('button', { name: 'Resend message…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Resend this message?' });
  await expect(confirm).toContainText(`from ${sender.name} to ${recipient.name}`);
  await expect(confirm).toContainText('Resending will fail again unless the fleet has re-authorised the connection since.');
  await confirm.getByRole('button', { name: 'Resend message' }).click();
  await expect(confirm).toBeHidden();

  // The old operation links to the new one; the new one links back and turns to success.
  // The chain lists both sends, with links both ways.
  const resentAs = drawer.getByRole('button', { name: /^Resend 1 [0-9a-f]{8}/ });
  await expect(resentAs).toBeVisible();
  await resentAs.click();
  await expect(page).not.toHaveURL(new RegExp(`op=${id}`));
  await expect(page).toHaveURL(/[?&]op=[0-9a-f-]{36}/);
  const firstSend = drawer.getByRole('button', { name: new RegExp(`^First send ${id.slice(0, 8)}`) });
  await expect(firstSend).toBeVisible();
  await expect(drawer.getByRole('region', { name: 'Summary' })).toContainText('Delivered on the first attempt', {
    timeout: 20_000,
  });
  const newId = new URL(page.url()).searchParams.get('op');
  const resent = (await (await request.get(`/api/operations/${newId}`)).json()) as Operation;
  expect(resent).toMatchObject({ status: 'success', resend_of: id });

  // Back to the original: it now says where it was resent, and that one succeeded.
  await firstSend.click();
  await expect(drawer.getByText(id, { exact: true })).toBeVisible();
  await expect(drawer.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Resend 1 / }) })).toContainText('Succeeded');
  // Resend is no longer offered: the chain's newest send was delivered.
  await expect(drawer.getByText(/Already resent as [0-9a-f]{8} \(Succeeded\)/)).toBeVisible();
  await expect(drawer.getByRole('button', { name: 'Resend message…' })).toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/[?&]op=/);
});
