/**
 * `npm run store:copy -- --to "$DATABASE_URL" [--from ./data]`: moves a team's SQLite store into an
 * empty PostgreSQL store, so it can grow to several servers without losing its history. Stop the
 * console server first: what it writes during the copy would not be copied.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { copyStore, StoreCopyRefused } from '../db/store-copy.ts';

let values;
try {
  ({ values } = parseArgs({ options: { to: { type: 'string' }, from: { type: 'string' } } }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\nUsage: npm run store:copy -- --to postgres://… [--from DATA_DIR]`);
  process.exit(2);
}
const to = values.to?.trim();
if (!to || !/^postgres(ql)?:\/\//.test(to)) {
  console.error('Say where to copy to: npm run store:copy -- --to postgres://user:password@host:5432/database [--from DATA_DIR]');
  process.exit(2);
}
const from = path.resolve(values.from ?? process.env.DATA_DIR ?? './data');

try {
  const report = await copyStore({ fromDataDir: from, toUrl: to, onTable: (table, rows) => console.log(`  ${table}: ${rows} rows`) });
  const total = report.reduce((sum, { rows }) => sum + rows, 0);
  console.log(`Copied ${total} rows from ${path.join(from, 'console.db')} to PostgreSQL; every table holds as many rows on both sides.`);
  console.log('Start the console servers with DATABASE_URL set to that database (and the same CATENA_WEBHOOK_SECRET on each).');
} catch (error) {
  if (error instanceof StoreCopyRefused) {
    console.error(error.message);
    process.exit(1);
  }
  // The connection string may be in a pg error's message: never printed whole.
  console.error(
    `The copy failed and nothing was written to PostgreSQL: ${(error instanceof Error ? error.message : String(error)).replaceAll(to, '[DATABASE_URL]')}`,
  );
  process.exit(1);
}
