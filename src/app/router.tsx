import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  notFound,
  stripSearchParams,
  type RouterHistory,
} from '@tanstack/react-router';
import { operationsSearchDefaults, operationsSearchSchema } from '../features/operations/operations-search-schemas.ts';
import { broadcastSearchSchema } from '../features/broadcasts/broadcasts-search-schemas.ts';
import { accountsSearchSchema } from '../features/accounts/account-search-schemas.ts';
import { auditSearchSchema } from '../features/accounts/audit-search-schemas.ts';
import { demoQueries } from '../features/demo/api/demo-queries.ts';
import { SignInPage } from '../features/session/components/sign-in-page.tsx';
import { signInSearchSchema } from '../features/session/sign-in-search-schemas.ts';
import type { Capability } from '../../contracts/access-schemas.ts';
import { rememberCsrfToken } from '../lib/api-client.ts';
import { parseSearch, stringifySearch } from '../lib/search-params.ts';
import { AppLayout } from './app-layout.tsx';
import { onSignedOut } from './query-client.ts';
import { NotFoundPage } from './routes/not-found-page.tsx';
import { RouteErrorPage } from './routes/route-error-page.tsx';
import { routeChunk } from './missing-chunk.ts';

export type RouterContext = { queryClient: QueryClient };

/*
 * Code-based route tree. Pages that keep view state in the URL declare it with
 * `validateSearch: zodSchema` on their route, so links and `useSearch` are typed.
 *
 * The root draws the console's shell, which shows a page only to someone signed in (see
 * app-layout.tsx). A page that needs more than `view` says so in `staticData.requires`; the
 * shell then tells a role without it so, instead of showing a form the server would refuse.
 * /sign-in is `staticData.public`: drawn on its own, without the shell or a session.
 */
const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppLayout,
  notFoundComponent: NotFoundPage,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: signInSearchSchema,
  staticData: { public: true },
  component: SignInPage,
});

const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  // Lazy like every page: the tables it shows (TanStack Table and Virtual) are not in the entry,
  // so the sign-in page and the shell paint before they load (issue 14).
  component: lazyRouteComponent(
    routeChunk(() => import('./routes/overview-page.tsx')),
    'OverviewPage',
  ),
});

const operationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/operations',
  validateSearch: operationsSearchSchema,
  // Defaults stay out of the URL: a plain /operations is the default view, and links stay short.
  search: { middlewares: [stripSearchParams(operationsSearchDefaults)] },
  // Loads when first visited, like Compose and Broadcasts (the table, the virtualizer and the drawer).
  component: lazyRouteComponent(
    routeChunk(() => import('./routes/operations-page.tsx')),
    'OperationsRoutePage',
  ),
});

// Compose and Broadcasts load when first visited; search schemas stay here, so links stay typed.
const composeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/compose',
  staticData: { requires: { capability: 'send', doing: 'compose messages' } },
  component: lazyRouteComponent(
    routeChunk(() => import('../features/compose/components/compose-page.tsx')),
    'ComposePage',
  ),
});

const broadcastsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/broadcasts',
  component: lazyRouteComponent(
    routeChunk(() => import('../features/broadcasts/components/broadcasts-page.tsx')),
    'BroadcastsPage',
  ),
});

const broadcastRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/broadcasts/$broadcastId',
  validateSearch: broadcastSearchSchema,
  component: lazyRouteComponent(
    routeChunk(() => import('../features/broadcasts/components/broadcast-page.tsx')),
    'BroadcastPage',
  ),
});

// Bulk resends: anyone may follow one; starting or cancelling needs `resend` (the page hides Cancel).
const resendBatchesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/resend-batches',
  component: lazyRouteComponent(
    routeChunk(() => import('../features/resend-batches/components/resend-batches-page.tsx')),
    'ResendBatchesPage',
  ),
});

const resendBatchRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/resend-batches/$batchId',
  component: lazyRouteComponent(
    routeChunk(() => import('./routes/resend-batch-page.tsx')),
    'ResendBatchRoutePage',
  ),
});

const accountsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/accounts',
  validateSearch: accountsSearchSchema,
  staticData: { requires: { capability: 'admin', doing: 'manage accounts' } },
  component: lazyRouteComponent(
    routeChunk(() => import('../features/accounts/components/accounts-page.tsx')),
    'AccountsPage',
  ),
});

const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  validateSearch: auditSearchSchema,
  staticData: { requires: { capability: 'admin', doing: 'read the audit log' } },
  component: lazyRouteComponent(
    routeChunk(() => import('../features/accounts/components/audit-log-page.tsx')),
    'AuditLogPage',
  ),
});

const webhooksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/webhooks',
  staticData: { requires: { capability: 'admin', doing: 'see and replay the webhook subscription' } },
  component: lazyRouteComponent(
    routeChunk(() => import('../features/webhooks/components/webhooks-page.tsx')),
    'WebhooksPage',
  ),
});

// Demo mode only (decision 0047): with real Catena there is no such page, so the address is not found.
const demoRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/demo',
  staticData: { requires: { capability: 'admin', doing: 'run the demo' } },
  beforeLoad: async ({ context }) => {
    if (!(await context.queryClient.ensureQueryData(demoQueries.availability()))) throw notFound();
  },
  component: lazyRouteComponent(
    routeChunk(() => import('../features/demo/components/demo-page.tsx')),
    'DemoPage',
  ),
});

const routeTree = rootRoute.addChildren([
  overviewRoute,
  composeRoute,
  broadcastsRoute,
  broadcastRoute,
  operationsRoute,
  resendBatchesRoute,
  resendBatchRoute,
  accountsRoute,
  auditRoute,
  webhooksRoute,
  demoRoute,
  signInRoute,
]);

export function createAppRouter({ queryClient, history }: { queryClient: QueryClient; history?: RouterHistory }) {
  const router = createRouter({
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
    // A page whose code is gone after a deploy reloads the tab once (missing-chunk.ts).
    defaultErrorComponent: RouteErrorPage,
  });
  onSignedOut(queryClient, () => leaveForSignIn(router, queryClient));
  return router;
}

/**
 * A 401 from any request: the session ended (expired, signed out in another tab, the account
 * was disabled or its role changed). Forget every cached answer (the next person at this browser
 * sees nothing of this one's) and go to the sign-in page, which brings the person back here
 * afterwards. Whatever still asks on the way out is answered 401 too, and ignored: on the
 * sign-in page a 401 is the form's business (a wrong password).
 */
function leaveForSignIn(router: AppRouter, queryClient: QueryClient): void {
  const { pathname, href } = router.latestLocation;
  if (pathname === '/sign-in') return;
  rememberCsrfToken(null);
  queryClient.clear();
  void router.navigate({ to: '/sign-in', search: { redirect: href }, replace: true });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
  interface StaticDataRouteOption {
    /** What a page needs beyond `view`, and what it is for in words ("compose messages"). */
    requires?: { capability: Capability; doing: string };
    /** Drawn without the shell and without a session (the sign-in page). */
    public?: boolean;
  }
}
