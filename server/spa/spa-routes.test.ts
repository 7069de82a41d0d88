import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from '../../tests/support/console-server.ts';

let consoleServer: RunningConsole;
let staticDir: string;
beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'fleetops-spa-'));
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Fleet Ops Console</title>');
  writeFileSync(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(staticDir, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["src/main.tsx"]}');
  consoleServer = await startConsole({ catenaUrl: 'http://127.0.0.1:9', staticDir });
});
afterAll(async () => {
  await consoleServer.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const get = (route: string, method = 'GET') => fetch(`${consoleServer.url}${route}`, { method });

describe('serving the web app', () => {
  it('answers the app for the root and for any deep link, never cached', async () => {
    for (const route of ['/', '/index.html', '/operations?op=1b2c', '/broadcasts/some-id', '/audit']) {
      const response = await get(route);
      expect({
        route,
        status: response.status,
        type: response.headers.get('content-type'),
        cache: response.headers.get('cache-control'),
      }).toMatchObject({
        status: 200,
        type: expect.stringContaining('text/html'),
        cache: 'no-cache',
      });
      expect(await response.text()).toContain('Fleet Ops Console');
    }
  });

  it('serves hashed assets for good, and a file built after start without a restart', async () => {
    const asset = await get('/assets/index-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    writeFileSync(path.join(staticDir, 'assets', 'index-def456.js'), 'console.log(2)');
    expect((await get('/assets/index-def456.js')).status).toBe(200);
  });

  it('answers a missing file with 404, not with the app, and lets nobody keep that answer', async () => {
    // An old tab's page code after a deploy, a stylesheet, a path under /assets/ without a suffix.
    for (const route of ['/assets/index-gone.js', '/assets/compose-page-old.js?v=1', '/assets/index-gone.css', '/assets/gone', '/favicon-gone.png']) {
      const response = await get(route);
      expect({ route, status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control') }).toEqual({
        route,
        status: 404,
        type: expect.stringContaining('text/plain'),
        cache: 'no-store',
      });
      expect(await response.text()).not.toContain('Fleet Ops Console');
    }
  });

  it('never serves a source map, even one left in the build folder', async () => {
    const response = await get('/assets/index-abc123.js.map');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('sources');
  });

  it('keeps unknown API paths JSON', async () => {
    const response = await get('/api/does-not-exist');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await get('/api/does-not-exist', 'POST')).status).toBe(404);
  });
});
