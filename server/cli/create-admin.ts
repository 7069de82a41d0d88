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
  if (process.stdin.isTTY) return promptWithoutEcho(`Password for ${email.data} (at least ${PASSWORD_MIN_LENGTH} characters): `);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** Reads one line from the terminal in raw mode, so the password never shows on screen. */
function promptWithoutEcho(question: string): Promise<string> {
  return new Promise((resolve) => {
    process.stdout.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    let typed = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\u0003') process.exit(130);
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(typed);
          return;
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}

const password = await readPassword();
if (password.length < PASSWORD_MIN_LENGTH) {
  console.error(`The password must have at least ${PASSWORD_MIN_LENGTH} characters.`);
  process.exit(1);
}
// The same store the server uses: PostgreSQL when DATABASE_URL is set, else the SQLite file in DATA_DIR.
const databaseUrl = process.env.DATABASE_URL?.trim();
const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: path.resolve(process.env.DATA_DIR ?? './data') });
const accounts = new AccountStore(db);
const existing = await accounts.findByEmail(email.data);
if (existing) {
  await accounts.update(existing.id, { role: 'admin', disabled: false, password });
  console.log(`${email.data} is an admin again, with the new password.`);
} else {
  await accounts.create({ email: email.data, name: values.name ?? 'Administrator', role: 'admin', password });
  console.log(`Created the admin account ${email.data}.`);
}
await db.close();
