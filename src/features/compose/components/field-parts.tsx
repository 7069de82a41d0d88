import type { ReactNode } from 'react';
import { AlertTriangleIcon } from '../../../components/ui/icons.tsx';

/** `aria-describedby` from the ids that apply (hint, error …), or nothing. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return present.length > 0 ? present.join(' ') : undefined;
}

export const labelClasses = 'block text-sm font-medium text-slate-900 dark:text-slate-100';
export const hintClasses = 'text-sm text-slate-600 dark:text-slate-400';

export const inputClasses =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:outline-none disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-500 dark:bg-slate-950 dark:text-slate-100 dark:ring-slate-700 dark:placeholder:text-slate-500 dark:disabled:bg-slate-900 dark:aria-[invalid=true]:ring-red-400';

/**
 * The error beside a field. The field points at it with `aria-describedby` (and is
 * `aria-invalid`), so a screen reader reads it when focus lands there; the form's summary
 * announces it when it appears.
 */
export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-2 flex items-start gap-1.5 text-sm font-medium text-red-700 dark:text-red-400">
      <AlertTriangleIcon className="mt-0.5 size-4" />
      <span>{children}</span>
    </p>
  );
}

/** One part of the form: a heading-like label and its control(s). */
export function FormSection({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={`px-4 py-5 sm:px-5 ${className}`}>{children}</div>;
}
