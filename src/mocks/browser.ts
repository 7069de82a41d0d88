import { setupWorker } from 'msw/browser';
import { handlers } from './handlers.ts';

/** Only for the browser-only demo build (VITE_MSW=true); never in the normal bundle. */
export async function startMockWorker(): Promise<void> {
  const worker = setupWorker(...handlers);
  await worker.start({
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
    // Assets and anything that is not /api/* go to the network as usual.
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
}
