#!/usr/bin/env node
/**
 * Makes sure a Chromium for the end-to-end tests is there, without Playwright downloading one
 * (its download host is unreachable here). Order: $CHROMIUM_PATH, then Debian's /usr/bin/chromium,
 * then, only when running as root (CI, these machines), `apt-get install chromium`.
 * Prints the path it found; exits 1 with instructions when there is none.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function found(path, how) {
  console.log(`Chromium for end-to-end tests: ${path} (${how})`);
  process.exit(0);
}

const fromEnv = process.env.CHROMIUM_PATH;
if (fromEnv) {
  if (isExecutable(fromEnv)) found(fromEnv, 'CHROMIUM_PATH');
  console.error(`CHROMIUM_PATH is set to "${fromEnv}", which is not an executable file.`);
  process.exit(1);
}

if (isExecutable(DEBIAN_CHROMIUM)) found(DEBIAN_CHROMIUM, "Debian's package");

if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log("No Chromium found: installing Debian's chromium package (apt-get, about a minute)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.error || result.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed${result.error ? `: ${result.error.message}` : ` (exit code ${result.status})`}.`);
      process.exit(1);
    }
  }
  if (isExecutable(DEBIAN_CHROMIUM)) found(DEBIAN_CHROMIUM, 'installed just now');
  console.error(`apt-get installed chromium, but ${DEBIAN_CHROMIUM} is still missing.`);
  process.exit(1);
}

console.error(
  [
    'The end-to-end tests need Chromium, and none was found.',
    '  - On Debian or Ubuntu: sudo apt-get install chromium   (gives /usr/bin/chromium)',
    '  - Or point CHROMIUM_PATH at a Chromium or Chrome you have: CHROMIUM_PATH=/path/to/chrome npm run test:e2e',
    'Playwright does not download its own browser in this project.',
  ].join('\n'),
);
process.exit(1);
