/**
 * A PostgreSQL server for the store tests, obtained the way scripts/ensure-chromium.mjs gets Chromium:
 * the machine's binaries (`initdb`, `pg_ctl` on PATH or Debian's /usr/lib/postgresql/<version>/bin),
 * else, only when running as root (CI, these machines), Debian's `postgresql` package installed with
 * apt-get; else an error that says how to get one. The server is a throwaway: a fresh cluster in a
 * temporary folder on a free loopback port, trusting every local connection, with durability off,
 * removed again by stop(). TEST_DATABASE_URL, when set, is used instead (see postgres-global-setup.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, escapeIdentifier } from 'pg';

const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** The user initdb and the server run as when we are root (initdb refuses to run as root). */
const SERVER_USER = 'postgres';

export type PostgresBinaries = { binDir: string; initdb: string; pgCtl: string };

export type TestPostgres = {
  /** e.g. postgres://postgres@127.0.0.1:54321/postgres; the role is a superuser. */
  url: string;
  /** Stops the server at once (no checkpoint) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
};

export type TestDatabase = {
  /** The base URL with its database swapped for the fresh one. */
  url: string;
  /** Drops the database, ending any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
};

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The first folder that holds both an executable `initdb` and `pg_ctl`, or undefined. */
export function findPostgresBinaries(candidates: readonly string[]): PostgresBinaries | undefined {
  for (const binDir of candidates) {
    const initdb = path.join(binDir, 'initdb');
    const pgCtl = path.join(binDir, 'pg_ctl');
    if (isExecutable(initdb) && isExecutable(pgCtl)) return { binDir, initdb, pgCtl };
  }
  return undefined;
}

/** Where to look, in order: every folder on PATH, then Debian's per-version folders, newest first. */
export function postgresBinaryCandidates(): string[] {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  let debian: string[] = [];
  try {
    debian = readdirSync(DEBIAN_POSTGRES_ROOT)
      .filter((version) => /^\d+(\.\d+)?$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => path.join(DEBIAN_POSTGRES_ROOT, version, 'bin'));
  } catch {
    // No Debian package installed.
  }
  return [...onPath, ...debian];
}

export const NO_POSTGRES_MESSAGE = [
  'The store tests need PostgreSQL, and no initdb/pg_ctl was found (on PATH or under /usr/lib/postgresql/<version>/bin).',
  "  - On Debian or Ubuntu: sudo apt-get install postgresql   (the tests start their own throwaway server; the package's own service is not used)",
  '  - On macOS: brew install postgresql   (puts initdb and pg_ctl on PATH)',
  '  - Or point TEST_DATABASE_URL at a server you have, as a role that may create databases:',
  '      TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/postgres npm test',
].join('\n');

type RunResult = { status: number | null; output: string };

/** Runs a command to its end; `output` is its stdout and stderr together (unless inherited). */
function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** apt-get update && apt-get install -y postgresql, output shown (it takes about 40 s). */
export async function installDebianPostgres(): Promise<void> {
  console.log("No PostgreSQL found: installing Debian's postgresql package (apt-get, under a minute)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'postgresql']]) {
    let result: RunResult;
    try {
      result = await run('apt-get', args, { env, inherit: true });
    } catch (error) {
      throw new Error(`apt-get ${args.join(' ')} failed: ${(error as Error).message}\n\n${NO_POSTGRES_MESSAGE}`, { cause: error });
    }
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit code ${result.status}).\n\n${NO_POSTGRES_MESSAGE}`);
  }
}

/**
 * The machine's PostgreSQL binaries; when there are none and we are root, installs Debian's package
 * first; otherwise rejects with instructions. The options exist for the tests of this very path.
 */
export async function ensurePostgresBinaries({
  candidates = postgresBinaryCandidates,
  asRoot = isRoot(),
  install = installDebianPostgres,
}: {
  candidates?: () => readonly string[];
  asRoot?: boolean;
  install?: () => Promise<void>;
} = {}): Promise<PostgresBinaries> {
  const found = findPostgresBinaries(candidates());
  if (found) return found;
  if (!asRoot) throw new Error(NO_POSTGRES_MESSAGE);
  await install();
  const installed = findPostgresBinaries(candidates());
  if (installed) return installed;
  throw new Error(`apt-get installed postgresql, but initdb and pg_ctl are still missing under ${DEBIAN_POSTGRES_ROOT}/<version>/bin.`);
}

/** As root, the server user must exist: Debian's package makes it; binaries from elsewhere may not. */
async function ensureServerUser(): Promise<{ uid: number; gid: number }> {
  const lookup = async () => {
    const uid = await run('id', ['-u', SERVER_USER]);
    const gid = await run('id', ['-g', SERVER_USER]);
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.output.trim()), gid: Number(gid.output.trim()) } : undefined;
  };
  const existing = await lookup();
  if (existing) return existing;
  const created = await run('useradd', [
    '--system',
    '--user-group',
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    '/usr/sbin/nologin',
    SERVER_USER,
  ]).catch((error: Error) => ({ status: null, output: error.message }));
  const user = created.status === 0 ? await lookup() : undefined;
  if (user) return user;
  throw new Error(
    `initdb refuses to run as root, so the test server runs as the "${SERVER_USER}" user, which does not exist and could not be made (useradd: ${created.output.trim()}).\n` +
      `Create it (useradd --system ${SERVER_USER}), install Debian's postgresql package (it creates it), run the tests as another user, or set TEST_DATABASE_URL.`,
  );
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** What a throwaway server runs with: durability costs time and buys nothing for throwaway data. */
const THROWAWAY_SETTINGS: Readonly<Record<string, string>> = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

/**
 * Starts a throwaway PostgreSQL server (about half a second once the binaries are there).
 * `settings` override the throwaway defaults (the benchmarks turn durability back on).
 */
export async function startTestPostgres(options: { settings?: Readonly<Record<string, string>> } = {}): Promise<TestPostgres> {
  const settings = { ...THROWAWAY_SETTINGS, ...options.settings };
  const binaries = await ensurePostgresBinaries();
  const asRoot = isRoot();
  const owner = asRoot ? await ensureServerUser() : undefined;

  // One folder holds the cluster, its log and its socket, so removing it leaves nothing behind.
  const folder = mkdtempSync(path.join(tmpdir(), 'fleetops-pg-'));
  const dataDir = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  if (owner) chownSync(folder, owner.uid, owner.gid);
  // As root, run as the server user, from a folder it may enter (initdb complains about an unreadable cwd).
  const command = (binary: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', SERVER_USER, '--', binary, ...args]] : [binary, args];
  const pgRun = (binary: string, args: string[]) => run(...command(binary, args), { cwd: folder });
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });

  try {
    const init = await pgRun(binaries.initdb, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    if (init.status !== 0) throw new Error(`initdb (${binaries.initdb}) failed with exit code ${init.status}:\n${init.output}`);

    // The free port is only free when we looked: if another process takes it first, try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const serverOptions = [
        `-p ${port}`,
        `-k ${folder}`,
        '-c listen_addresses=127.0.0.1',
        ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
        // Every test file may open its own pools.
        '-c max_connections=300',
      ].join(' ');
      const start = await pgRun(binaries.pgCtl, ['-D', dataDir, '-o', serverOptions, '-w', '-l', logFile, 'start']);
      if (start.status === 0) {
        const stopArgs = ['-D', dataDir, '-m', 'immediate', 'stop'];
        // Safety net: a run that ends without its teardown (a crash, process.exit) still stops the server.
        const stopAtExit = () => {
          spawnSync(...command(binaries.pgCtl, stopArgs), { cwd: folder, stdio: 'ignore' });
          removeFolder();
        };
        process.once('exit', stopAtExit);
        let stopping: Promise<void> | undefined;
        return {
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          stop() {
            stopping ??= (async () => {
              process.off('exit', stopAtExit);
              try {
                const stopped = await pgRun(binaries.pgCtl, stopArgs);
                if (stopped.status !== 0) throw new Error(`pg_ctl stop failed with exit code ${stopped.status}:\n${stopped.output}`);
              } finally {
                removeFolder();
              }
            })();
            return stopping;
          },
        };
      }
      const log = tail(logFile);
      if (attempt < 3 && /could not bind|already in use/i.test(log)) continue;
      throw new Error(`pg_ctl start (${binaries.pgCtl}) failed with exit code ${start.status}:\n${start.output}\nServer log:\n${log}`);
    }
  } catch (error) {
    // pg_ctl -w can give up on a server that is still starting: make sure none outlives its folder.
    await pgRun(binaries.pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop']).catch(() => undefined);
    removeFolder();
    throw error;
  }
}

function withDatabase(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(baseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named, empty database on the server at baseUrl (whose role may create databases). */
export async function createTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `fleetops_test_${process.pid}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const quoted = escapeIdentifier(name);
  await onServer(baseUrl, (client) => client.query(`CREATE DATABASE ${quoted}`));
  let dropping: Promise<void> | undefined;
  return {
    url: withDatabase(baseUrl, name),
    drop() {
      dropping ??= onServer(baseUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
      });
      return dropping;
    },
  };
}
