import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dirs: string[] = [];
function dataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetops-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const upstream = { CATENA_API_URL: 'https://api.example.test/', CATENA_CLIENT_ID: 'id', CATENA_CLIENT_SECRET: 'secret' };

describe('loadConfig', () => {
  it('names every missing Catena variable in one message', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir() })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir() })).toThrow(/CATENA_API_URL[\s\S]*CATENA_CLIENT_ID[\s\S]*CATENA_CLIENT_SECRET/);
  });

  it('turns demo mode on only with SIMULATOR_CONTROL_URL (decision 0047)', () => {
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir() }).simulatorControlUrl).toBeNull();
    expect(loadConfig({ ...upstream, SIMULATOR_CONTROL_URL: 'http://127.0.0.1:8090/_sim/', DATA_DIR: dataDir() }).simulatorControlUrl).toBe(
      'http://127.0.0.1:8090/_sim',
    );
    expect(() => loadConfig({ ...upstream, SIMULATOR_CONTROL_URL: 'localhost:8090', DATA_DIR: dataDir() })).toThrow(
      /SIMULATOR_CONTROL_URL must be an http\(s\) URL/,
    );
  });

  it('refuses a malformed value and says which', () => {
    expect(() => loadConfig({ ...upstream, PORT: 'eighty', DATA_DIR: dataDir() })).toThrow(/PORT/);
    expect(() => loadConfig({ ...upstream, CATENA_API_URL: 'ftp://x', DATA_DIR: dataDir() })).toThrow(/CATENA_API_URL/);
    expect(() => loadConfig({ ...upstream, CATENA_WEBHOOK_SECRET: 'short', DATA_DIR: dataDir() })).toThrow(/12 characters/);
  });

  it('defaults the auth URL and public URL, and keeps a generated webhook secret across starts', () => {
    const dir = dataDir();
    const first = loadConfig({ ...upstream, DATA_DIR: dir, PORT: '9123' });
    expect(first.catenaApiUrl).toBe('https://api.example.test');
    expect(first.catenaAuthUrl).toBe('https://api.example.test');
    expect(first.publicUrl).toBe('http://localhost:9123');
    expect(first.webhookSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ ...upstream, DATA_DIR: dir }).webhookSecret).toBe(first.webhookSecret);
    expect(readFileSync(path.join(dir, 'webhook-secret'), 'utf8').trim()).toBe(first.webhookSecret);
  });

  it('with DATABASE_URL, needs the webhook secret all servers share, and never echoes the URL', () => {
    const databaseUrl = 'postgres://console:s3cret-password@db.internal:5432/fleetops';
    let message = '';
    try {
      loadConfig({ ...upstream, DATA_DIR: dataDir(), DATABASE_URL: databaseUrl });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/CATENA_WEBHOOK_SECRET: required with DATABASE_URL/);
    expect(message).not.toContain('s3cret-password');
    const config = loadConfig({ ...upstream, DATA_DIR: dataDir(), DATABASE_URL: databaseUrl, CATENA_WEBHOOK_SECRET: 'shared-secret-0123456789' });
    expect(config.databaseUrl).toBe(databaseUrl);
    expect(() =>
      loadConfig({ ...upstream, DATA_DIR: dataDir(), DATABASE_URL: 'mysql://db/x', CATENA_WEBHOOK_SECRET: 'shared-secret-0123456789' }),
    ).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir(), DATABASE_URL: '' }).databaseUrl).toBeNull();
  });

  it('reads how long a stopping server drains', () => {
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir() }).shutdownDrainMs).toBe(0);
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir(), SHUTDOWN_DRAIN_SECONDS: '7.5' }).shutdownDrainMs).toBe(7_500);
    expect(() => loadConfig({ ...upstream, DATA_DIR: dataDir(), SHUTDOWN_DRAIN_SECONDS: '-1' })).toThrow(/SHUTDOWN_DRAIN_SECONDS/);
  });

  it('reads how many attempts Catena makes as far as the console knows, and how often watched work is read again', () => {
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir() })).toMatchObject({ catenaMaxAttempts: 5, liveRefreshMs: 3000 });
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir(), CATENA_MAX_ATTEMPTS: 'unknown', LIVE_REFRESH_SECONDS: '1' })).toMatchObject({
      catenaMaxAttempts: null,
      liveRefreshMs: 1000,
    });
    expect(() => loadConfig({ ...upstream, DATA_DIR: dataDir(), CATENA_MAX_ATTEMPTS: 'lots' })).toThrow(/CATENA_MAX_ATTEMPTS must be a whole number/);
  });

  it('reads when pending work counts as stuck, and names the variable when it cannot', () => {
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir() }).stuckAfterMinutes).toEqual({ default: 30, message: 10 });
    expect(loadConfig({ ...upstream, DATA_DIR: dataDir(), STUCK_AFTER_MINUTES: 'message=3' }).stuckAfterMinutes).toEqual({ default: 30, message: 3 });
    expect(() => loadConfig({ ...upstream, DATA_DIR: dataDir(), STUCK_AFTER_MINUTES: 'message=later' })).toThrow(
      /STUCK_AFTER_MINUTES: "message=later" is not resource=minutes/,
    );
  });
});
