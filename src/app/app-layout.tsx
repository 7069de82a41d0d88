import { useQuery } from '@tanstack/react-query';
import { Outlet, useMatches } from '@tanstack/react-router';
import { can, type SessionUser } from '../../contracts/access-schemas.ts';
import { Button } from '../components/ui/button.tsx';
import { LogoMark, RefreshIcon } from '../components/ui/icons.tsx';
import { HealthIndicator } from '../features/health/components/health-indicator.tsx';
import { IncidentBanners } from '../features/incidents/components/incident-banner.tsx';
import { StuckWorkLink } from '../features/operations/components/stuck-work-link.tsx';
import { PresenterToggle } from '../components/ui/presenter-toggle.tsx';
import { SignedInUser } from '../features/session/components/signed-in-user.tsx';
import { errorMessage } from '../lib/api-client.ts';
import { sessionQueries } from '../lib/session-queries.ts';
import { MainNavigation } from './navigation.tsx';
import { isSignedOutError } from './query-client.ts';
import { RoleCannotPage } from './routes/role-cannot-page.tsx';
import { ThemeSwitcher } from './theme-switcher.tsx';

export const MAIN_CONTENT_ID = 'main-content';

/** The root of every page: the sign-in page on its own, everything else in the signed-in shell. */
export function AppLayout() {
  const isPublic = useMatches({ select: (matches) => matches.some((match) => match.staticData.public === true) });
  return isPublic ? <Outlet /> : <SignedInLayout />;
}

/**
 * The console's shell, for someone signed in. Until the session is known it shows a quiet
 * loading state (no pages, so no page asks the server anything as nobody); without a session the
 * query client sends the person to the sign-in page (src/app/router.tsx).
 */
function SignedInLayout() {
  const session = useQuery(sessionQueries.current());
  if (session.data) return <ConsoleShell user={session.data.user} />;
  if (session.isError && !isSignedOutError(session.error)) {
    return <SessionUnknown message={errorMessage(session.error)} retrying={session.isFetching} onRetry={() => void session.refetch()} />;
  }
  return <SessionPending />;
}

function ConsoleShell({ user }: { user: SessionUser }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href={`#${MAIN_CONTENT_ID}`}
        className="sr-only z-50 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>

      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/90 backdrop-blur supports-[backdrop-filter]:bg-white/75 dark:border-slate-800 dark:bg-slate-950/85 dark:supports-[backdrop-filter]:bg-slate-950/70">
        {/*
          Two rows: brand, status, theme and who is signed in; then the pages. One row no longer fits
          once the pages, the status and the account are all there. On a phone the theme moves down
          beside the pages.
        */}
        <div className="mx-auto grid max-w-shell grid-cols-[minmax(0,1fr)_auto_auto] items-center gap-x-3 px-4 [grid-template-areas:'brand_health_user'_'nav_nav_theme'] sm:grid-cols-[minmax(0,1fr)_auto_auto_auto] sm:gap-x-4 sm:px-6 sm:[grid-template-areas:'brand_health_theme_user'_'nav_nav_nav_nav'] lg:px-8">
          <div className="flex h-14 min-w-0 items-center gap-3 [grid-area:brand]">
            <LogoMark className="size-8 shrink-0" />
            {/* On the narrowest phones the mark alone names the console, so the status and account fit. */}
            <div className="sr-only min-w-0 leading-tight min-[440px]:not-sr-only">
              <p className="truncate text-[15px] font-semibold tracking-tight text-slate-900 dark:text-white">Fleet Ops Console</p>
              <p className="hidden truncate text-xs text-slate-500 sm:block dark:text-slate-400">Catena Telematics</p>
            </div>
          </div>

          <MainNavigation role={user.role} className="-mx-1 min-w-0 px-1 pb-2 [grid-area:nav]" />

          <div className="flex items-center gap-2 justify-self-end [grid-area:health]">
            <StuckWorkLink />
            <HealthIndicator />
          </div>
          <div className="justify-self-end pb-2 [grid-area:theme] sm:pb-0">
            <ThemeSwitcher />
          </div>
          <div className="justify-self-end [grid-area:user] sm:border-l sm:border-slate-200 sm:pl-4 dark:sm:border-slate-800">
            <SignedInUser user={user} />
          </div>
        </div>
      </header>

      {/* Provider incidents concern every page: a dispatcher sees one before composing into it. */}
      <IncidentBanners />

      <main id={MAIN_CONTENT_ID} tabIndex={-1} className="flex-1 focus:outline-none">
        <div className="mx-auto w-full max-w-shell px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
          <PageForRole user={user} />
        </div>
      </main>

      <footer className="border-t border-slate-200 dark:border-slate-800">
        <div className="mx-auto flex max-w-shell flex-wrap items-center justify-between gap-2 px-4 py-4 text-xs text-slate-500 sm:px-6 lg:px-8 dark:text-slate-400">
          <p>Fleet Ops Console</p>
          {/* A display preference of this device, on every page: a salesperson sets it before the customer looks. */}
          <PresenterToggle />
          <p>Writes to Catena are asynchronous: every one is tracked until it succeeds or fails.</p>
        </div>
      </footer>
    </div>
  );
}

/** The page, or why this role cannot use it (a route's `staticData.requires`, see router.tsx). */
function PageForRole({ user }: { user: SessionUser }) {
  const requires = useMatches({
    select: (matches) => matches.findLast((match) => match.staticData.requires)?.staticData.requires,
  });
  if (requires && !can(user.role, requires.capability)) return <RoleCannotPage role={user.role} doing={requires.doing} />;
  return <Outlet />;
}

function SessionPending() {
  return (
    <div role="status" className="grid min-h-dvh place-items-center opacity-100 transition-opacity delay-300 duration-300 starting:opacity-0">
      <div className="flex flex-col items-center gap-3 text-sm text-slate-500 dark:text-slate-400">
        <LogoMark className="size-10 animate-pulse" />
        <span>Opening the console…</span>
      </div>
    </div>
  );
}

/** The session could not be checked at all (the server is down or restarting): say so, offer to ask again. */
function SessionUnknown({ message, retrying, onRetry }: { message: string; retrying: boolean; onRetry: () => void }) {
  return (
    <div className="grid min-h-dvh place-items-center px-4">
      <div role="alert" className="max-w-md text-center">
        <LogoMark className="mx-auto size-10" />
        <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900 dark:text-white">The console cannot check your sign-in</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{message}</p>
        <Button variant="primary" className="mt-6" onClick={onRetry} disabled={retrying}>
          <RefreshIcon className={`size-4 ${retrying ? 'animate-spin' : ''}`} />
          {retrying ? 'Trying…' : 'Try again'}
        </Button>
      </div>
    </div>
  );
}
