/**
 * `npm run create-admin -- --email you@example.com [--name "Your Name"]`
 *
 * Makes an admin account in the console's store (DATA_DIR, default ./data), or makes an existing
 * account an admin again with a new password. The password comes from CONSOLE_ADMIN_PASSWORD, or
 * is asked for (not echoed) on a terminal, or read from the first line of standard input.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../../contracts/access-schemas.ts';
import { AccountStore } from '../access/account-store.ts';
import { openDatabase } from '../db/database.ts';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const email = z.string().trim().toLowerCase().email().safeParse(values.email);
if (!email.success) {
  console.error('Usage: npm run create-admin -- --email you@example.com [--name "Your Name"]');
  process.exit(1);
}

async function readPassword(): Promise<string> {
  if (process.env.CONSOLE_ADMIN_PASSWORD) return process.env.CONSOLE_ADMIN_PASSWORD;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stdout.write(`Password for ${email.data} (at least ${PASSWORD_MIN_LENGTH} characters): `);
    // Keep the typed password off the screen.
    (lines as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  const [line] = await lines[Symbol.asyncIterator]().next().then((r) => [r.value as string | undefined]);
  lines.close();
  if (process.stdin.isTTY) process.stdout.write('\n');
  return line ?? '';
}

const password = await readPassword();
if (password.length < PASSWORD_MIN_LENGTH) {
  console.error(`The password must have at least ${PASSWORD_MIN_LENGTH} characters.`);
  process.exit(1);
}
const db = openDatabase(path.resolve(process.env.DATA_DIR ?? './data'));
const accounts = new AccountStore(db);
const existing = accounts.findByEmail(email.data);
if (existing) {
  await accounts.update(existing.id, { role: 'admin', disabled: false, password });
  console.log(`${email.data} is an admin again, with the new password.`);
} else {
  await accounts.create({ email: email.data, name: values.name ?? 'Administrator', role: 'admin', password });
  console.log(`Created the admin account ${email.data}.`);
}
db.close();
