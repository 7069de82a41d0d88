import { createMemoryHistory } from '@tanstack/react-router';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import { App } from '../app/app.tsx';
import { AppProviders } from '../app/providers.tsx';
import { createQueryClient } from '../app/query-client.ts';
import { createAppRouter, type AppRouter } from '../app/router.tsx';

export type RenderAppResult = RenderResult & { user: UserEvent; router: AppRouter; queryClient: QueryClient };

/**
 * Renders the whole app (real providers, real router, the page at `route`) with a fresh
 * QueryClient that does not retry, so an error handler shows its error at once.
 * MSW answers /api/*; override a handler with `server.use(...)` inside a test.
 */
export function renderApp({ route = '/' }: { route?: string } = {}): RenderAppResult {
  const queryClient = createQueryClient({ retry: false });
  const router = createAppRouter({ queryClient, history: createMemoryHistory({ initialEntries: [route] }) });
  const user = userEvent.setup();
  const result = render(<App queryClient={queryClient} router={router} />);
  return { ...result, user, router, queryClient };
}

export type RenderWithProvidersResult = RenderResult & { user: UserEvent; queryClient: QueryClient };

/**
 * Renders one component with the app's real providers and a fresh, non-retrying QueryClient,
 * for a component that a page renders (e.g. the operation drawer) but that needs no router.
 */
export function renderWithProviders(ui: ReactElement): RenderWithProvidersResult {
  const queryClient = createQueryClient({ retry: false });
  const user = userEvent.setup();
  const result = render(<AppProviders queryClient={queryClient}>{ui}</AppProviders>);
  return { ...result, user, queryClient };
}
