import { createMemoryHistory } from '@tanstack/react-router';
import { render, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import { App } from '../app/app.tsx';
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
