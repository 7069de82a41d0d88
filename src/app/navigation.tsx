import { Link } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { ActivityIcon } from '../components/ui/action-icons.tsx';
import { BroadcastIcon, LayoutGridIcon, SendIcon } from '../components/ui/icons.tsx';

type NavItem = {
  to: '/' | '/compose' | '/broadcasts' | '/operations';
  label: string;
  icon: ComponentType<{ className?: string }>;
};

/**
 * The console's pages, in the order people use them. Operations, Compose and Broadcasts are
 * added here (and in router.tsx) by the issues that build them; there are no placeholder pages.
 */
const navItems: readonly NavItem[] = [
  { to: '/', label: 'Overview', icon: LayoutGridIcon },
  { to: '/compose', label: 'Compose', icon: SendIcon },
  { to: '/broadcasts', label: 'Broadcasts', icon: BroadcastIcon },
  { to: '/operations', label: 'Operations', icon: ActivityIcon },
];

export function MainNavigation({ className = '' }: { className?: string }) {
  return (
    <nav aria-label="Main" className={className}>
      <ul className="flex items-center gap-1">
        {navItems.map((item) => (
          <li key={item.to}>
            <Link
              to={item.to}
              activeOptions={{ exact: item.to === '/' }}
              className="relative inline-flex h-9 items-center gap-2 rounded-md px-3 text-sm font-medium text-slate-600 transition-colors hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white"
            >
              <item.icon className="size-4" />
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
