import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';

type Connection = { id: string; name: string; tsp: string };
type User = { id: string; role: string; is_active: boolean };

async function fleet(request: APIRequestContext, name: string) {
  const connections = ((await (await request.get('/api/connections')).json()) as { items: Connection[] }).items;
  const connection = connections.find((c) => c.name === name);
  if (!connection) throw new Error(`no connection named ${name}`);
  const users = ((await (await request.get(`/api/users?connection_id=${connection.id}`)).json()) as { items: User[] }).items;
  const dispatcher = users.find((u) => u.role === 'dispatcher');
  if (!dispatcher) throw new Error(`${name} has no dispatcher`);
  return { connection, dispatcher, drivers: users.filter((u) => u.role === 'driver' && u.is_active) };
}

/**
 * The outage story as support lives it: Geotab goes down, a broadcast's failures gather into one
 * incident (a banner on every page, one folded row in Operations), support arms "Resend these
 * when Geotab recovers", Geotab recovers, the incident closes by itself and the resend goes out
 * once. Everything here is the real server, the real simulator and a real browser.
 */
test('a Geotab outage: one incident, folded failures, recovery, and the armed resend sent once', async ({ page, request, sim }) => {
  test.setTimeout(150_000);
  const prairie = await fleet(request, 'Prairie Haulers');
  await sim.addScenario({ scenario: 'outage', tsp: 'geotab' });

  const text = `E2E outage story ${Date.now()}: yard 3 closed, use gate B.`;
  const sent = await request.post('/api/broadcasts', {
    headers: { 'idempotency-key': crypto.randomUUID() },
    data: { connection_id: prairie.connection.id, sender_id: prairie.dispatcher.id, all_drivers: true, message_text: text },
  });
  expect(sent.status()).toBe(202);
  const broadcastId = ((await sent.json()) as { id: string }).id;
  const drivers = prairie.drivers.length;

  // The banner, on every page, says what happened in words once Catena has given up on the writes.
  await page.goto('/');
  const banner = page.getByRole('region', { name: 'Provider incident: Geotab' });
  await expect(banner).toContainText(`Geotab degraded since`, { timeout: 90_000 });
  await expect(banner).toContainText(`${drivers} failed writes across 1 fleet`, { timeout: 30_000 });

  // Operations folds them into one row that opens to show them.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).click();
  await expect(page.getByRole('region', { name: 'Provider incident: Geotab' })).toBeVisible();
  const fold = page.getByRole('region', { name: 'Failed writes in the Geotab incident' });
  await expect(fold).toContainText(`${drivers} failed writes in the Geotab incident`);
  await expect(page.getByRole('table', { name: /^Operations/ }).getByText(text)).toHaveCount(0);
  await fold.getByRole('button', { name: 'Show them' }).click();
  await expect(fold.getByRole('button', { name: /^Open / })).toHaveCount(drivers);

  // Armed from the banner: nothing is sent yet.
  await page.getByRole('region', { name: 'Provider incident: Geotab' }).getByRole('button', { name: 'Resend these when Geotab recovers' }).click();
  await expect(page.getByRole('region', { name: 'Provider incident: Geotab' })).toContainText(
    `Armed: resend of ${drivers} writes starts when Geotab recovers`,
  );

  // Geotab recovers; dispatchers carry on writing, and those writes get through.
  const cleared = await fetch(`${sim.url}/scenarios`, { method: 'DELETE' });
  expect(cleared.ok).toBe(true);
  for (const driver of prairie.drivers.slice(0, 3)) {
    const message = await request.post('/api/messages', {
      headers: { 'idempotency-key': crypto.randomUUID() },
      data: { connection_id: prairie.connection.id, sender_id: prairie.dispatcher.id, recipient_id: driver.id, message_text: `Gate B is open again ${Date.now()}` },
    });
    expect(message.status()).toBe(202);
  }

  // The incident closes by itself, and the armed resend starts.
  const recovered = page.getByRole('region', { name: 'Geotab recovered' });
  await expect(recovered).toContainText(`The armed resend of ${drivers} failed writes has started`, { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Provider incident: Geotab' })).toHaveCount(0);
  await recovered.getByRole('link', { name: 'View the bulk resend' }).click();
  await expect(page).toHaveURL(/\/resend-batches\/[0-9a-f-]{36}$/);

  // Once: each driver's message failed once and was resent once, and the resend got through.
  await page.goto(`/broadcasts/${broadcastId}`);
  const progress = page.getByRole('progressbar', { name: 'Delivery progress' });
  await expect(progress).toHaveAttribute('aria-valuetext', `${drivers} of ${drivers} finished: ${drivers} succeeded, 0 failed, 0 pending, 0 queued`, {
    timeout: 60_000,
  });
  const batches = ((await (await request.get('/api/resend-batches')).json()) as { items: { id: string; counts: { queued: number } }[] }).items;
  const byBroadcast = ((await (await request.get(`/api/broadcasts/${broadcastId}`)).json()) as {
    recipients: { history?: { status: string }[] }[];
  }).recipients;
  expect(byBroadcast).toHaveLength(drivers);
  expect(byBroadcast.map((r) => (r.history ?? []).map((h) => h.status))).toEqual(Array.from({ length: drivers }, () => ['failed', 'success']));
  expect(batches.length).toBeGreaterThan(0);
});
