import { expect, test } from './fixtures.ts';

type Json = Record<string, unknown>;
type Connection = { id: string; name: string };

const SIMULATOR_URL = `http://127.0.0.1:${process.env.E2E_SIMULATOR_PORT ?? '18090'}`;

test('a failed vehicle update made by another system is found by Resource = Vehicle, opened, explained, and resent once as the same update', async ({
  page,
  request,
  playwright,
  sim,
}) => {
  // The partner's own back end writes to Catena (the simulator) directly, with the demo credentials.
  const catena = await playwright.request.newContext({ baseURL: SIMULATOR_URL });
  const token = (await (
    await catena.post('/realms/catena/protocol/openid-connect/token', {
      form: { grant_type: 'client_credentials', client_id: 'fleetops-demo', client_secret: 'fleetops-demo-secret', scope: 'organization' },
    })
  ).json()) as { access_token: string };
  const auth = { authorization: `Bearer ${token.access_token}` };

  const connections = (await (await request.get('/api/connections')).json()) as { items: Connection[] };
  const coastal = connections.items.find((candidate) => candidate.name === 'Coastal Carriers');
  if (!coastal) throw new Error('the seeded world has no Coastal Carriers connection');
  // Coastal Carriers' credentials expired (seeded scenario): every write there fails with auth.
  expect(JSON.stringify(await sim.state())).toContain('expired_credentials');
  const vehicles = (await (await catena.get(`/v2/telematics/vehicles?connection_id=${coastal.id}`, { headers: auth })).json()) as { items: Json[] };
  const vehicle = vehicles.items.find((candidate) => candidate['is_active'] === true);
  if (!vehicle) throw new Error('Coastal Carriers has no active vehicle');

  const written = await catena.patch(`/v2/telematics/vehicles/${String(vehicle['id'])}`, {
    headers: auth,
    data: { connection_id: coastal.id, status: 'IN_REPAIR', notes: 'Brake job booked' },
  });
  expect(written.status()).toBe(202);
  const { id } = (await written.json()) as { id: string };
  await expect
    .poll(async () => ((await (await request.get(`/api/operations/${id}`)).json()) as { status: string }).status, { timeout: 20_000 })
    .toBe('failed');

  await page.goto('/operations');
  await page.getByRole('button', { name: 'Resource: any' }).click();
  // The menu lists what occurs, in plain words, with counts.
  const vehicleOption = page.getByRole('checkbox', { name: /^Vehicle \d+$/ });
  await expect(vehicleOption).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^DVIR log \d+$/ })).toBeVisible();
  await vehicleOption.check();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/[?&]resource=vehicle/);

  const row = page.locator(`tbody tr[data-row-id="${id}"]`);
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();

  const drawer = page.getByRole('dialog', { name: 'Operation Update vehicle' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('article', { name: "Samsara rejected the fleet's credentials" })).toContainText(
    'Ask Coastal Carriers to re-authorise',
  );
  const record = drawer.getByRole('region', { name: new RegExp(`^Vehicle · ${String(vehicle['vehicle_name'])}`) });
  await expect(record).toBeVisible();
  const changes = record.getByRole('table', { name: /What this update changes/ });
  await expect(changes.getByRole('row', { name: /Status/ })).toContainText(String(vehicle['status']));
  await expect(changes.getByRole('row', { name: /Status/ })).toContainText('IN_REPAIR');
  await expect(record.getByRole('table', { name: "Catena ids and Samsara's own" })).toContainText(String(vehicle['source_id']));

  // The fleet re-authorises; the update is resent as the same update, once, and succeeds.
  expect((await fetch(`${sim.url}/scenarios`, { method: 'DELETE' })).ok).toBe(true);
  await drawer.getByRole('button', { name: 'Resend vehicle update…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Resend this vehicle update?' });
  await expect(confirm).toContainText('Sends the same vehicle update again, with the same fields');
  await confirm.getByRole('button', { name: 'Resend vehicle update' }).click();
  await drawer.getByRole('button', { name: /^Open the resend/ }).click();
  await expect(drawer.getByRole('region', { name: 'Summary' })).toContainText('first attempt', { timeout: 20_000 });
  const resent = (await (await request.get(`/api/operations/${new URL(page.url()).searchParams.get('op')}`)).json()) as Json;
  expect(resent).toMatchObject({ resource: 'vehicle', operation_type: 'update', status: 'success', resend_of: id });

  await catena.dispose();
});
