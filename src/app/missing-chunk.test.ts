import { afterEach, describe, expect, it, vi } from 'vitest';
import { isMissingChunkError, MissingChunkError, RELOAD_GUARD_MS, reloadForMissingChunk, routeChunk } from './missing-chunk.ts';

afterEach(() => sessionStorage.clear());

const gone = () => new TypeError('Failed to fetch dynamically imported module: http://localhost/assets/audit-log-page-old.js');

describe('a page whose code is gone', () => {
  it('reloads the tab once, and not again within the guard time', () => {
    const reload = vi.fn<() => void>();
    const t0 = 1_800_000_000_000;
    expect(reloadForMissingChunk({ now: t0, online: true, reload })).toBe(true);
    // The reloaded tab finds the code still missing: it says so instead of reloading in a loop.
    expect(reloadForMissingChunk({ now: t0 + 2_000, online: true, reload })).toBe(false);
    expect(reloadForMissingChunk({ now: t0 + RELOAD_GUARD_MS - 1, online: true, reload })).toBe(false);
    expect(reload).toHaveBeenCalledTimes(1);

    // A later deploy, long after: one reload again.
    expect(reloadForMissingChunk({ now: t0 + RELOAD_GUARD_MS + 60_000, online: true, reload })).toBe(true);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('does not reload when the clock went back, when offline, or without storage to remember it in', () => {
    const reload = vi.fn<() => void>();
    const t0 = 1_800_000_000_000;
    expect(reloadForMissingChunk({ now: t0, online: true, reload })).toBe(true);
    expect(reloadForMissingChunk({ now: t0 - 3_000, online: true, reload })).toBe(false);
    sessionStorage.clear();
    expect(reloadForMissingChunk({ now: t0, online: false, reload })).toBe(false);

    const blocked: Storage = {
      length: 0,
      clear: () => undefined,
      key: () => null,
      removeItem: () => undefined,
      getItem: () => null,
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
    };
    expect(reloadForMissingChunk({ now: t0, online: true, reload, storage: blocked })).toBe(false);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('tells a missing file from a page that failed while running', async () => {
    const messages = [
      'Failed to fetch dynamically imported module: http://localhost/assets/x.js',
      'error loading dynamically imported module: http://localhost/assets/x.js',
      'Importing a module script failed.',
      'Unable to preload CSS for /assets/x.css',
    ];
    expect(messages.filter((message) => !isMissingChunkError(new TypeError(message)))).toEqual([]);
    expect(isMissingChunkError(new TypeError("Cannot read properties of undefined (reading 'map')"))).toBe(false);
    expect(isMissingChunkError('Failed to fetch dynamically imported module')).toBe(false);

    // The route's import: a missing file becomes a MissingChunkError (so the router's own
    // once-per-file reload stays out of it); any other failure passes through unchanged.
    const missing = await routeChunk(() => Promise.reject(gone()))().catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(MissingChunkError);
    expect(missing).toMatchObject({ message: expect.stringContaining('audit-log-page-old.js') });
    // Not worded like the browser's error, which TanStack Router would reload on by itself.
    expect(missing).not.toMatchObject({ message: expect.stringMatching(/^(Failed to fetch|error loading|Importing a module)/) });
    const bug = new Error('boom');
    await expect(routeChunk(() => Promise.reject(bug))()).rejects.toBe(bug);
    await expect(routeChunk(() => Promise.resolve({ Page: 'ok' }))()).resolves.toEqual({ Page: 'ok' });
  });
});
