import { Link } from '@tanstack/react-router';
import type { ComponentType } from 'react';
import { can, type Capability, type Role } from '../../contracts/access-schemas.ts';
import { ScrollTextIcon, UsersIcon } from '../components/ui/access-icons.tsx';
import { ActivityIcon } from '../components/ui/action-icons.tsx';
import { BroadcastIcon, LayoutGridIcon, SendIcon } from '../components/ui/icons.tsx';

type NavItem = {
  to: '/' | '/compose' | '/broadcasts' | '/operations' | '/accounts' | '/audit';
  label: string;
  icon: ComponentType<{ className?: string }>;
  /** Shown only to roles with this capability (contracts/access-schemas.ts); `view` when absent. */
  requires?: Capability;
};

/**
 * The console's pages, in the order people use them. Operations, Compose and Broadcasts are
 * added here (and in router.tsx) by the issues that build them; there are no placeholder pages.
 */
const navItems: readonly NavItem[] = [
  { to: '/', label: 'Overview', icon: LayoutGridIcon },
  { to: '/compose', label: 'Compose', icon: SendIcon, requires: 'send' },
  { to: '/broadcasts', label: 'Broadcasts', icon: BroadcastIcon },
  { to: '/operations', label: 'Operations', icon: ActivityIcon },
  { to: '/accounts', label: 'Accounts', icon: UsersIcon, requires: 'admin' },
  { to: '/audit', label: 'Audit log', icon: ScrollTextIcon, requires: 'admin' },
];

/** The pages this role can use; the others are left out rather than shown and refused. */
export function MainNavigation({ role, className = '' }: { role: Role; className?: string }) {
  return (
    <nav aria-label="Main" className={`overflow-x-auto ${className}`}>
      <ul className="flex items-center gap-1">
        {navItems
          .filter((item) => can(role, item.requires ?? 'view'))
          .map((item) => (
          <li key={item.to}>
            <Link
              to={item.to}
              activeOptions={{ exact: item.to === '/' }}
              className="relative inline-flex h-9 items-center gap-2 rounded-md px-3 whitespace-nowrap text-sm font-medium text-slate-600 transition-colors hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white"
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
