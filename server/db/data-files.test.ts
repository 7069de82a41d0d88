import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';

const roots: string[] = [];
function scratch(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fleetops-files-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
const upstream = { CATENA_API_URL: 'https://api.example.test', CATENA_CLIENT_ID: 'id', CATENA_CLIENT_SECRET: 'secret' };

describe('the data folder is private to the server', () => {
  it('creates the folder 0700 and the database, its WAL and the webhook secret 0600', async () => {
    const dataDir = path.join(scratch(), 'data');
    loadConfig({ ...upstream, DATA_DIR: dataDir });
    const store = await openDatabase({ dataDir });
    await sql`INSERT INTO settings (key, value) VALUES ('k', '1')`.execute(store.db);
    const modes = Object.fromEntries(
      ['.', 'console.db', 'console.db-wal', 'console.db-shm', 'webhook-secret'].map((name) => [name, mode(path.join(dataDir, name))]),
    );
    await store.close();
    expect(modes).toEqual({ '.': '700', 'console.db': '600', 'console.db-wal': '600', 'console.db-shm': '600', 'webhook-secret': '600' });
  });

  it('tightens a folder and files an older version left readable by everyone', async () => {
    const dataDir = path.join(scratch(), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const first = await openDatabase({ dataDir });
    await first.close();
    writeFileSync(path.join(dataDir, 'webhook-secret'), 'an-old-secret-of-enough-length\n');
    for (const name of ['console.db', 'webhook-secret']) chmodSync(path.join(dataDir, name), 0o644);
    chmodSync(dataDir, 0o755);

    expect(loadConfig({ ...upstream, DATA_DIR: dataDir }).webhookSecret).toBe('an-old-secret-of-enough-length');
    const store = await openDatabase({ dataDir });
    const modes = Object.fromEntries(['.', 'console.db', 'webhook-secret'].map((name) => [name, mode(path.join(dataDir, name))]));
    await store.close();
    expect(modes).toEqual({ '.': '700', 'console.db': '600', 'webhook-secret': '600' });
  });
});
