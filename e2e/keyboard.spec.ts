import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/*
 * Keyboard users can do what mouse users do. This walks the two flows that matter most — send a
 * message, resend one that failed — from the Overview with the keyboard alone: Tab, Enter,
 * Space, arrows and the page's shortcuts; never a click. (The simulator's control API, which no
 * user touches, is still called directly.)
 */

/** Presses `key` until `target` has focus: how a keyboard user gets somewhere. */
async function pressUntilFocused(page: Page, target: Locator, key = 'Tab', limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === element.ownerDocument.activeElement)) return;
    await page.keyboard.press(key);
  }
  await expect(target).toBeFocused();
}

test('a message is sent, fails, and is resent with the keyboard alone, starting from the Overview', async ({ page, sim }) => {
  test.setTimeout(90_000);
  // Coastal Carriers' fleet revoked our Samsara token: the message will fail with `auth`.
  await sim.addScenario({ scenario: 'expired_credentials', tsp: 'samsara' });

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  // Overview → Compose through the main navigation.
  await pressUntilFocused(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Compose' })).toBeVisible();

  // The connection: Tab into the radio group, arrows to Coastal Carriers.
  const coastal = page.getByRole('radio', { name: 'Coastal Carriers' });
  await pressUntilFocused(page, page.getByRole('main').getByRole('radio').first());
  await pressUntilFocused(page, coastal, 'ArrowDown', 10);
  await expect(coastal).toBeChecked();

  // The sender: type-ahead in the select.
  const sender = page.getByRole('combobox', { name: 'Sender' });
  await pressUntilFocused(page, sender);
  await page.keyboard.press('ArrowDown');
  await expect(sender).toHaveValue(/[0-9a-f-]{36}/);

  // A driver: type, arrow to the first match, Enter picks it.
  const drivers = page.getByRole('combobox', { name: 'Find a driver by name' });
  await pressUntilFocused(page, drivers);
  await page.keyboard.type('a');
  await expect(page.getByRole('listbox').getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Sends 1 message', { exact: true })).toBeVisible();

  // The text, and Ctrl+Enter sends.
  const text = `Keyboard e2e ${Date.now()}: dock 7 opens at noon.`;
  await pressUntilFocused(page, page.getByRole('textbox', { name: 'Message' }));
  await page.keyboard.type(text);
  await page.keyboard.press('Control+Enter');
  const sent = page.getByRole('region', { name: 'Sent message' });
  await expect(sent.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });

  // The fleet re-authorised; open the failed message's log from where it was sent.
  expect((await fetch(`${sim.url}/scenarios`, { method: 'DELETE' })).ok).toBe(true);
  await pressUntilFocused(page, sent.getByRole('link', { name: 'Open its operation log' }));
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: /^Operation/ });
  await expect(drawer).toContainText(text);

  // Resend, confirmed in its dialog.
  await pressUntilFocused(page, drawer.getByRole('button', { name: 'Resend message…' }));
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('alertdialog', { name: 'Resend this message?' });
  await expect(confirm).toBeVisible();
  await pressUntilFocused(page, confirm.getByRole('button', { name: 'Resend message' }));
  await page.keyboard.press('Space');
  await expect(confirm).toBeHidden();

  // The resend is in the chain and is delivered; Escape closes the log.
  const resentAs = drawer.getByRole('button', { name: /^Resend 1 [0-9a-f]{8}/ });
  await pressUntilFocused(page, resentAs);
  await page.keyboard.press('Enter');
  await expect(drawer.getByRole('region', { name: 'Summary' })).toContainText('Delivered on the first attempt', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
});
