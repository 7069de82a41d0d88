import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/**
 * A tab opened before a deploy asks for page code by the old build's file names. The server
 * serves dist/ (looked up per request), so taking a file out of dist/assets/ is what the tab
 * meets after a deploy: a 404 for that file.
 */
const ASSETS_DIR = fileURLToPath(new URL('../dist/assets/', import.meta.url));

function builtFile(prefix: string): string {
  const file = readdirSync(ASSETS_DIR).find((name) => name.startsWith(`${prefix}-`) && name.endsWith('.js'));
  if (!file) throw new Error(`dist/assets/ has no ${prefix}-*.js: run \`npx vite build\` first`);
  return file;
}

/** Counts the times the tab loads a document after this call (a reload is one). */
function countDocumentLoads(page: Page): () => number {
  let loads = 0;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) loads += 1;
  });
  return () => loads;
}

test('an old tab whose page code is gone reloads once, then offers Reload, and shows the page once the code is back', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const documentLoads = countDocumentLoads(page);

  const file = builtFile('audit-log-page');
  const away = mkdtempSync(join(tmpdir(), 'fleet-ops-old-build-'));
  renameSync(join(ASSETS_DIR, file), join(away, file));
  try {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();

    // The tab reloaded by itself, found the code still missing, and says so rather than looping.
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('This page could not be loaded');
    await expect(alert).toContainText('updated since this tab was opened');
    await expect(page).toHaveURL(/\/audit$/);
    expect(documentLoads()).toBe(1);
    // The console around the page still works.
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' })).toBeVisible();
  } finally {
    renameSync(join(away, file), join(ASSETS_DIR, file));
    rmSync(away, { recursive: true, force: true });
  }

  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByText('This page could not be loaded')).toBeHidden();
  expect(documentLoads()).toBe(2);
});

test('an old tab whose page code is missing until it reloads shows the page after one reload', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const documentLoads = countDocumentLoads(page);

  // The network answers 404 for Compose's code until the tab loads a document again: a server
  // still on the old build, as a balancer may pick during a deploy.
  const refused: string[] = [];
  await page.route('**/assets/compose-page-*.js', async (route) => {
    if (documentLoads() > 0) return route.continue();
    refused.push(route.request().url());
    return route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found.' });
  });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compose' })).toBeVisible();
  await expect(page).toHaveURL(/\/compose$/);
  expect(refused.length).toBeGreaterThan(0);
  expect(documentLoads()).toBe(1);
  await expect(page.getByText('This page could not be loaded')).toBeHidden();
});
