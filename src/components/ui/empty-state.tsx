import type { ComponentType, ReactNode } from 'react';
import { AlertTriangleIcon, InboxIcon } from './icons.tsx';

/**
 * The three empty states every list has (house style #10): nothing yet, nothing matches
 * (with a way to clear the filters), could not load (with "Try again"). Each names what
 * happened in words and, where there is one, offers the next step.
 */
type EmptyStateProps = {
  kind: 'nothing-yet' | 'no-match' | 'error';
  title: string;
  children?: ReactNode;
  /** The next step: "Try again", "Clear filters" … */
  action?: ReactNode;
  icon?: ComponentType<{ className?: string }>;
};

export function EmptyState({ kind, title, children, action, icon }: EmptyStateProps) {
  const Icon = icon ?? (kind === 'error' ? AlertTriangleIcon : InboxIcon);
  const isError = kind === 'error';
  return (
    <div role={isError ? 'alert' : undefined} className="flex flex-col items-center justify-center px-6 py-14 text-center">
      <span
        className={`mb-4 grid size-11 place-items-center rounded-full ${
          isError
            ? 'bg-red-50 text-red-600 dark:bg-red-500/10 dark:text-red-400'
            : 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400'
        }`}
      >
        <Icon className="size-5" />
      </span>
      <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</h3>
      {children ? <div className="mt-1 max-w-md text-sm text-slate-600 dark:text-slate-400">{children}</div> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}
