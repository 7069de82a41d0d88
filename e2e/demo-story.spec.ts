import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

type Connection = { id: string; name: string; tsp: string };
type User = { id: string; role: string; is_active: boolean };

/** Where the story's pictures go: docs/demo.md shows them, and every run of this test takes them anew. */
const SHOTS = 'docs/demo';

async function fleet(request: APIRequestContext, name: string) {
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const connection = connections.find((c) => c.name === name);
  if (!connection) throw new Error(`no connection named ${name}`);
  const users = ((await (await request.get(`/api/users?connection_id=${connection.id}`)).json()) as { items: User[] }).items;
  const dispatcher = users.find((u) => u.role === 'dispatcher');
  if (!dispatcher) throw new Error(`${name} has no dispatcher`);
  return { connection, dispatcher, drivers: users.filter((u) => u.role === 'driver' && u.is_active) };
}

/** Compose → all drivers of a fleet → Send broadcast → confirmed by name and count; lands on the broadcast's page. */
async function broadcastToAllDrivers(page: Page, fleetName: string, drivers: number, text: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }).click();
  await page.getByRole('radio', { name: fleetName }).check();
  await page.getByRole('combobox', { name: 'Sender' }).selectOption({ index: 1 });
  await page.getByRole('checkbox', { name: `All drivers of ${fleetName}` }).check();
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send broadcast' }).click();
  await page
    .getByRole('alertdialog', { name: `Send to all ${drivers} drivers of ${fleetName}?` })
    .getByRole('button', { name: /^Send/ })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: `Broadcast to all drivers of ${fleetName}` })).toBeVisible();
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

test.use({ viewport: { width: 1280, height: 860 } });

/**
 * The five-minute demo of docs/demo.md, as a salesperson gives it, steered from the interface
 * only: a broadcast lands; Geotab goes down (the Demo page); the failures gather into one incident
 * with the banner and their explanations; support arms "Resend these when Geotab recovers";
 * Geotab recovers; the incident closes by itself and the failures are resent once. Real server,
 * real simulator, real browser; each step leaves the picture docs/demo.md shows.
 */
test('the demo story: a broadcast lands, Geotab fails and recovers, the failures are resent once', async ({ page, request, sim }) => {
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  const northwind = await fleet(request, 'Northwind Freight');
  const prairie = await fleet(request, 'Prairie Haulers');

  // 1. A broadcast lands: every Northwind driver has it within seconds.
  await page.goto('/');
  await broadcastToAllDrivers(
    page,
    'Northwind Freight',
    northwind.drivers.length,
    `Demo ${Date.now()}: high winds on I-55, empty trailers stay parked.`,
  );
  const progress = page.getByRole('progressbar', { name: 'Delivery progress' });
  const all = northwind.drivers.length;
  await expect(progress).toHaveAttribute('aria-valuetext', `${all} of ${all} finished: ${all} succeeded, 0 failed, 0 pending, 0 queued`, {
    timeout: 30_000,
  });
  await shot(page, '1-broadcast-lands');

  // 2. A provider outage starts, switched on from the Demo page.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Demo' }).click();
  await page.getByRole('region', { name: 'Scenarios by provider' }).getByRole('switch', { name: 'Outage for Geotab' }).click();
  const onNow = page.getByRole('region', { name: 'On now' });
  await expect(onNow).toContainText('Outage: on for Geotab');
  await shot(page, '2-outage-starts');

  // 3. Failures appear with their explanations, gathered into one incident on every page.
  const text = `Demo ${Date.now()}: yard 3 closed, use gate B.`;
  const drivers = prairie.drivers.length;
  await broadcastToAllDrivers(page, 'Prairie Haulers', drivers, text);
  await expect(progress).toHaveAttribute('aria-valuetext', `${drivers} of ${drivers} finished: 0 succeeded, ${drivers} failed, 0 pending, 0 queued`, {
    timeout: 60_000,
  });
  const banner = page.getByRole('region', { name: 'Provider incident: Geotab' });
  await expect(banner).toContainText(`${drivers} failed writes across 1 fleet`, { timeout: 60_000 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
  const fold = page.getByRole('region', { name: 'Failed writes in the Geotab incident' });
  await expect(fold).toContainText(`${drivers} failed writes in the Geotab incident`);
  await expect(page.getByRole('table', { name: /^Operations/ }).getByText(text)).toHaveCount(0);
  await fold.getByRole('button', { name: 'Show them' }).click();
  await expect(fold.getByRole('button', { name: /^Open / })).toHaveCount(drivers);
  await shot(page, '3-failures-and-incident');
  await fold
    .getByRole('button', { name: /^Open / })
    .first()
    .click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByRole('region', { name: /what went wrong/i })).toContainText('Who must act');
  await shot(page, '4-failure-explained');
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  // Support arms the resend from the banner; nothing is sent yet.
  await banner.getByRole('button', { name: 'Resend these when Geotab recovers' }).click();
  await expect(banner).toContainText(`Armed: resend of ${drivers} writes starts when Geotab recovers`);
  await shot(page, '5-resend-armed');

  // 4. The provider recovers (the Demo page again); dispatchers carry on, and those writes get through.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Demo' }).click();
  await onNow.getByRole('button', { name: 'Switch off: Outage: on for Geotab' }).click();
  await expect(onNow).not.toContainText('Outage: on for Geotab');
  // The switch reached the simulator: Geotab has no scenario left (Coastal's seeded one stays).
  const world = (await sim.state()) as { scenarios: { tsp: string | null }[] };
  expect(world.scenarios.filter((scenario) => scenario.tsp === 'geotab')).toEqual([]);
  for (const driver of prairie.drivers.slice(0, 3)) {
    const message = await request.post('/api/messages', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      data: {
        connection_id: prairie.connection.id,
        sender_id: prairie.dispatcher.id,
        recipient_id: driver.id,
        message_text: `Gate B is open again ${Date.now()}`,
      },
    });
    expect(message.status()).toBe(202);
  }
  const recovered = page.getByRole('region', { name: 'Geotab recovered' });
  await expect(recovered).toContainText(`The armed resend of ${drivers} failed writes has started`, { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Provider incident: Geotab' })).toHaveCount(0);

  // 5. The failures are resent once: the bulk resend, then the broadcast with each driver's history.
  await recovered.getByRole('link', { name: 'View the bulk resend' }).click();
  await expect(page).toHaveURL(/\/resend-batches\/[0-9a-f-]{36}$/);
  await expect(page.getByText(`Summary: ${drivers} resent: ${drivers} delivered.`)).toBeVisible({ timeout: 60_000 });
  await shot(page, '6-recovered-and-resent');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Broadcasts' }).click();
  await page
    .getByRole('link', { name: new RegExp(text.slice(0, 30)) })
    .first()
    .click();
  await expect(progress).toHaveAttribute('aria-valuetext', `${drivers} of ${drivers} finished: ${drivers} succeeded, 0 failed, 0 pending, 0 queued`, {
    timeout: 60_000,
  });
  await shot(page, '7-each-driver-once');
  const broadcastId = page.url().split('/').at(-1) ?? '';
  const recipients = ((await (await request.get(`/api/broadcasts/${broadcastId}`)).json()) as { recipients: { history?: { status: string }[] }[] })
    .recipients;
  expect(recipients.map((r) => (r.history ?? []).map((h) => h.status))).toEqual(Array.from({ length: drivers }, () => ['failed', 'success']));
});
