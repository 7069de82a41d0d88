import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from '../mocks/node.ts';
import { defaultPreferences, usePreferencesStore } from '../stores/preferences-store.ts';

// Every /api/* call must be answered by a handler: an unexpected request is a failing test.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));

afterEach(() => {
  // Vitest runs without globals, so Testing Library cannot register its own cleanup.
  cleanup();
  server.resetHandlers();
  localStorage.clear();
  usePreferencesStore.setState(defaultPreferences);
  document.documentElement.removeAttribute('data-theme');
});

afterAll(() => server.close());
