import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  stripSearchParams,
  type RouterHistory,
} from '@tanstack/react-router';
import {
  operationsSearchDefaults,
  operationsSearchSchema,
} from '../features/operations/operations-search-schemas.ts';
import { broadcastSearchSchema } from '../features/broadcasts/broadcasts-search-schemas.ts';
import { parseSearch, stringifySearch } from '../lib/search-params.ts';
import { AppLayout } from './app-layout.tsx';
import { NotFoundPage } from './routes/not-found-page.tsx';
import { OperationsRoutePage } from './routes/operations-page.tsx';
import { OverviewPage } from './routes/overview-page.tsx';

export type RouterContext = { queryClient: QueryClient };

/*
 * Code-based route tree. Pages that keep view state in the URL declare it with
 * `validateSearch: zodSchema` on their route, so links and `useSearch` are typed.
 */
const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppLayout,
  notFoundComponent: NotFoundPage,
});

const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: OverviewPage,
});

const operationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/operations',
  validateSearch: operationsSearchSchema,
  // Defaults stay out of the URL: a plain /operations is the default view, and links stay short.
  search: { middlewares: [stripSearchParams(operationsSearchDefaults)] },
  component: OperationsRoutePage,
});

// Compose and Broadcasts load when first visited; search schemas stay here, so links stay typed.
const composeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/compose',
  component: lazyRouteComponent(() => import('../features/compose/components/compose-page.tsx'), 'ComposePage'),
});

const broadcastsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/broadcasts',
  component: lazyRouteComponent(() => import('../features/broadcasts/components/broadcasts-page.tsx'), 'BroadcastsPage'),
});

const broadcastRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/broadcasts/$broadcastId',
  validateSearch: broadcastSearchSchema,
  component: lazyRouteComponent(() => import('../features/broadcasts/components/broadcast-page.tsx'), 'BroadcastPage'),
});

const routeTree = rootRoute.addChildren([overviewRoute, composeRoute, broadcastsRoute, broadcastRoute, operationsRoute]);

export function createAppRouter({ queryClient, history }: { queryClient: QueryClient; history?: RouterHistory }) {
  return createRouter({
    routeTree,
    context: { queryClient },
    ...(history ? { history } : {}),
    // Lists repeat their key (?status=failed&status=pending) and values stay strings; see the module.
    parseSearch,
    stringifySearch,
    // React Query owns freshness; the router's own preload cache would second-guess it.
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
