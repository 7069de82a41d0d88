import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { ArrowLeftIcon } from './icons.tsx';

/** The list a detail page belongs to. */
type ListPath = '/broadcasts' | '/resend-batches';

/** The way back from a detail page to its list, above the page's heading. */
export function BackLink({ to, children }: { to: ListPath; children: ReactNode }) {
  return (
    <Link
      to={to}
      className="inline-flex items-center gap-1.5 text-sm font-medium text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"
    >
      <ArrowLeftIcon className="size-4" />
      {children}
    </Link>
  );
}

/**
 * A detail page's frame until its record is here (QueryStates' `frame`): the way back, and a card
 * for what is said instead (loading, not found, could not load).
 */
export function framedWithBackLink(backLink: ReactNode) {
  return (content: ReactNode) => (
    <div className="space-y-6">
      {backLink}
      <div className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">{content}</div>
    </div>
  );
}
