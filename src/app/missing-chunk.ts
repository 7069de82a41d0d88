/**
 * Pages load their code when first visited, from files named by content hash
 * (`/assets/compose-page-<hash>.js`). After a deploy the servers hold the new build only, so a
 * tab opened before it asks for a file that is gone, and the server answers 404 (never the app
 * itself: see server/spa/spa-routes.ts). The cure is to load the console again: the new
 * index.html names the new files.
 *
 * So a page whose code is gone reloads the tab once, and does not reload again within
 * RELOAD_GUARD_MS (a timestamp in sessionStorage, which is per tab and survives the reload):
 * if the code is still missing after the reload (a server still on the old build, a proxy
 * that lost the file), the page says so and offers a Reload button instead of reloading in a
 * loop or going blank.
 *
 * The reload happens when a page that needs the code is shown (route-error-page.tsx), not when
 * Vite reports the failure (`vite:preloadError`): the router also loads a page's code when a
 * link is only hovered, and reloading then would throw away what the person was doing. The
 * failed import reaches the page either way, because Vite rethrows it after the event.
 * TanStack Router's own once-per-file reload is bypassed by wrapping the error (routeChunk),
 * so that one guard decides.
 */

export const RELOAD_GUARD_MS = 10_000;
const RELOADED_AT_KEY = 'fleetops:reloaded-for-missing-code-at';

/** A page's code could not be fetched: it is gone after a deploy, or the network dropped. */
export class MissingChunkError extends Error {
  override name = 'MissingChunkError';
}

// What browsers and Vite say when a module or its CSS cannot be fetched (Chromium, Firefox,
// Safari, Vite's preload helper). An error thrown while the module runs is a bug, not this.
const CHUNK_FETCH_FAILED = [
  /^Failed to fetch dynamically imported module/,
  /^error loading dynamically imported module/,
  /^Importing a module script failed/,
  /^Unable to preload CSS/,
];

export function isMissingChunkError(error: unknown): boolean {
  if (error instanceof MissingChunkError) return true;
  return error instanceof Error && CHUNK_FETCH_FAILED.some((pattern) => pattern.test(error.message));
}

/**
 * Wraps a route's `import()` so that a missing file rejects with a MissingChunkError. Its message
 * must not start like the browser's: TanStack Router reloads on those by itself, and two guards
 * would reload the tab twice.
 */
export function routeChunk<T>(importer: () => Promise<T>): () => Promise<T> {
  return () =>
    importer().catch((error: unknown) => {
      if (!isMissingChunkError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new MissingChunkError(`This page's code could not be fetched (${reason})`, { cause: error });
    });
}

type ReloadDeps = {
  /** Per tab, kept across a reload. */
  storage?: Storage;
  now?: number;
  online?: boolean;
  reload?: () => void;
};

/**
 * Reloads the tab to fetch the current build, unless it did so less than RELOAD_GUARD_MS ago,
 * the browser is offline (a reload would show the browser's own error page), or there is no
 * storage to remember the reload in (then a reload could loop). Says whether it reloaded.
 */
export function reloadForMissingChunk(deps: ReloadDeps = {}): boolean {
  const now = deps.now ?? Date.now();
  const online = deps.online ?? navigator.onLine;
  if (!online) return false;
  try {
    const storage = deps.storage ?? window.sessionStorage;
    const last = Number(storage.getItem(RELOADED_AT_KEY) ?? Number.NaN);
    // Either way round: a clock set back must not let the tab reload over and over.
    if (Number.isFinite(last) && Math.abs(now - last) < RELOAD_GUARD_MS) return false;
    storage.setItem(RELOADED_AT_KEY, String(now));
  } catch {
    return false;
  }
  (deps.reload ?? (() => window.location.reload()))();
  return true;
}
