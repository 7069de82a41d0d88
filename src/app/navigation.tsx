import { Link } from '@tanstack/react-router';
import { useId, type ComponentType } from 'react';
import { useDisclosure } from '../components/ui/use-disclosure.ts';
import { can, type Capability, type Role } from '../../contracts/access-schemas.ts';
import { ScrollTextIcon, UsersIcon } from '../components/ui/access-icons.tsx';
import { ActivityIcon, PlayIcon } from '../components/ui/action-icons.tsx';
import { useDemoAvailable } from '../features/demo/use-demo-available.ts';
import { BroadcastIcon, LayoutGridIcon, MenuIcon, RefreshIcon, SendIcon, WebhookIcon, XIcon } from '../components/ui/icons.tsx';

type NavItem = {
  to: '/' | '/compose' | '/broadcasts' | '/operations' | '/resend-batches' | '/accounts' | '/audit' | '/webhooks' | '/demo';
  label: string;
  icon: ComponentType<{ className?: string }>;
  /** Shown only to roles with this capability (contracts/access-schemas.ts); `view` when absent. */
  requires?: Capability;
  /** Only while the console is in demo mode (decision 0047). */
  demoOnly?: true;
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
  { to: '/resend-batches', label: 'Resends', icon: RefreshIcon },
  { to: '/accounts', label: 'Accounts', icon: UsersIcon, requires: 'admin' },
  { to: '/audit', label: 'Audit log', icon: ScrollTextIcon, requires: 'admin' },
  { to: '/webhooks', label: 'Webhooks', icon: WebhookIcon, requires: 'admin' },
  { to: '/demo', label: 'Demo', icon: PlayIcon, requires: 'admin', demoOnly: true },
];

const itemClasses =
  'relative inline-flex h-9 items-center gap-2 rounded-md px-3 whitespace-nowrap text-sm font-medium text-slate-600 transition-colors hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900 md:px-2.5 lg:px-3 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white';

/**
 * The pages this role can use; the others are left out rather than shown and refused. Below
 * 768 px the six pages do not fit in one row, and a row that scrolls sideways hides pages
 * without saying so: there they fold into a "Menu" disclosure.
 */
export function MainNavigation({ role, className = '' }: { role: Role; className?: string }) {
  const { open, setOpen, rootRef, buttonRef, onBlur } = useDisclosure();
  const demo = useDemoAvailable(role);
  const listId = useId();

  return (
    <nav aria-label="Main" className={className}>
      <div ref={rootRef} onBlur={onBlur}>
        <button
          ref={buttonRef}
          type="button"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen((current) => !current)}
          className={`${itemClasses} md:hidden`}
        >
          {open ? <XIcon className="size-4" /> : <MenuIcon className="size-4" />}
          Menu
        </button>
        <ul
          id={listId}
          className={`${open ? 'flex' : 'hidden'} flex-col gap-1 pt-1 md:flex md:flex-row md:items-center md:gap-0.5 md:overflow-x-auto md:pt-0 lg:gap-1`}
        >
          {navItems
            .filter((item) => can(role, item.requires ?? 'view') && (!item.demoOnly || demo))
            .map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  activeOptions={{ exact: item.to === '/' }}
                  onClick={() => setOpen(false)}
                  className={`${itemClasses} w-full md:w-auto`}
                >
                  <item.icon className="size-4" />
                  {item.label}
                </Link>
              </li>
            ))}
        </ul>
      </div>
    </nav>
  );
}
