import { Outlet } from '@tanstack/react-router';
import { LogoMark } from '../components/ui/icons.tsx';
import { HealthIndicator } from '../features/health/components/health-indicator.tsx';
import { MainNavigation } from './navigation.tsx';
import { ThemeSwitcher } from './theme-switcher.tsx';

export const MAIN_CONTENT_ID = 'main-content';

export function AppLayout() {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href={`#${MAIN_CONTENT_ID}`}
        className="sr-only z-50 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>

      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/90 backdrop-blur supports-[backdrop-filter]:bg-white/75 dark:border-slate-800 dark:bg-slate-950/85 dark:supports-[backdrop-filter]:bg-slate-950/70">
        {/* One row on wide screens; on narrow ones brand + status, then navigation + theme. */}
        <div className="mx-auto grid max-w-shell grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 px-4 [grid-template-areas:'brand_health'_'nav_theme'] sm:px-6 md:h-16 md:grid-cols-[auto_auto_minmax(0,1fr)_auto_auto] md:gap-x-4 md:[grid-template-areas:'brand_divider_nav_health_theme'] lg:px-8">
          <div className="flex h-14 min-w-0 items-center gap-3 [grid-area:brand] md:h-16">
            <LogoMark className="size-8 shrink-0" />
            <div className="min-w-0 leading-tight">
              <p className="truncate text-[15px] font-semibold tracking-tight text-slate-900 dark:text-white">
                Fleet Ops Console
              </p>
              <p className="hidden truncate text-xs text-slate-500 sm:block dark:text-slate-400">Catena Telematics</p>
            </div>
          </div>

          <div aria-hidden="true" className="hidden h-6 w-px bg-slate-200 [grid-area:divider] md:block dark:bg-slate-800" />
          <MainNavigation className="pb-2 [grid-area:nav] md:pb-0" />

          <div className="justify-self-end [grid-area:health]">
            <HealthIndicator />
          </div>
          <div className="justify-self-end pb-2 [grid-area:theme] md:pb-0">
            <ThemeSwitcher />
          </div>
        </div>
      </header>

      <main id={MAIN_CONTENT_ID} tabIndex={-1} className="flex-1 focus:outline-none">
        <div className="mx-auto w-full max-w-shell px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
          <Outlet />
        </div>
      </main>

      <footer className="border-t border-slate-200 dark:border-slate-800">
        <div className="mx-auto flex max-w-shell flex-wrap items-center justify-between gap-2 px-4 py-4 text-xs text-slate-500 sm:px-6 lg:px-8 dark:text-slate-400">
          <p>Fleet Ops Console</p>
          <p>Writes to Catena are asynchronous: every one is tracked until it succeeds or fails.</p>
        </div>
      </footer>
    </div>
  );
}
