import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/**
 * The one accessibility check of the end-to-end suite (docs/decisions/0049-accessibility-checks.md):
 * axe's full rule set on what is on screen now, in the light AND the dark theme, and no violation
 * of serious or critical impact. Minor and moderate ones are axe's best-practice hints; they are
 * not a gate.
 *
 * The theme is switched with the device's colour scheme (the console follows it unless someone
 * picked one), and with reduced motion, so no colour is measured halfway through a transition.
 * The page is left in the light scheme, as the suite's other tests expect.
 */
export async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    // A colour transition, however short, reports its start value until the next frame runs.
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const violation of violations) {
      if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
      for (const node of violation.nodes) {
        found.push(
          `${what} (${colorScheme}): ${violation.id} [${violation.impact}] ${node.target.join(' ')} — ${node.failureSummary ?? violation.help}`,
        );
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  // Each entry names the page or surface, the theme, the rule, the element and what to fix. Soft, so
  // one run lists what every page and surface of a test still gets wrong, not only the first.
  expect.soft(found).toEqual([]);
}
