import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { AlertTriangleIcon, CheckCircleIcon, ChevronDownIcon } from './icons.tsx';

/**
 * Form parts for every form (sign-in, accounts, Compose): a label above its control, a hint and
 * an error below it, tied together with `aria-describedby` and `aria-invalid`.
 */

export const labelClasses = 'block text-sm font-medium text-slate-900 dark:text-slate-100';
export const hintClasses = 'text-sm text-slate-600 dark:text-slate-400';

export const inputClasses =
  'block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:outline-none disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-500 dark:bg-slate-950 dark:text-slate-100 dark:ring-slate-700 dark:placeholder:text-slate-500 dark:disabled:bg-slate-900 dark:aria-[invalid=true]:ring-red-400';

/** `aria-describedby` from the ids that apply (hint, error …), or nothing. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return present.length > 0 ? present.join(' ') : undefined;
}

/**
 * The error beside a field. The field points at it with `aria-describedby` (and is
 * `aria-invalid`), so a screen reader reads it when focus lands there.
 */
export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="mt-1.5 flex items-start gap-1.5 text-sm font-medium text-red-700 dark:text-red-400">
      <AlertTriangleIcon className="mt-0.5 size-4" />
      <span>{children}</span>
    </p>
  );
}

/** A labelled text input with an optional hint, an error, and something beside it (a "Show" button). */
export function TextField({
  id,
  label,
  hint,
  error,
  inputRef,
  trailing,
  ...inputProps
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null | undefined;
  inputRef?: Ref<HTMLInputElement>;
  trailing?: ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  return (
    <div>
      <label htmlFor={id} className={labelClasses}>
        {label}
      </label>
      <div className="relative mt-1.5">
        <input
          ref={inputRef}
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(hintId, errorId)}
          className={`${inputClasses} ${trailing ? 'pr-20' : ''}`}
          {...inputProps}
        />
        {trailing ? <div className="absolute inset-y-0 right-1 flex items-center">{trailing}</div> : null}
      </div>
      {hintId ? (
        <p id={hintId} className={`mt-1.5 ${hintClasses}`}>
          {hint}
        </p>
      ) : null}
      {errorId ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

/** A native <select> drawn like the inputs (the browser's own list, keyboard and screen reader support). */
export function Select({ className = '', ref, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return (
    <div className={`relative ${className}`}>
      <select ref={ref} className={`${inputClasses} appearance-none pr-9`} {...props} />
      <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-slate-500 dark:text-slate-400" />
    </div>
  );
}

/** A message box for the outcome of a form: an error (role="alert") or a note. */
export function FormMessage({
  tone,
  title,
  children,
  ref,
}: {
  tone: 'error' | 'success';
  title: ReactNode;
  children?: ReactNode;
  ref?: Ref<HTMLDivElement>;
}) {
  const look =
    tone === 'error'
      ? 'bg-red-50 text-red-900 ring-red-600/20 dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/25'
      : 'bg-emerald-50 text-emerald-900 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-200 dark:ring-emerald-400/25';
  return (
    <div
      ref={ref}
      role={tone === 'error' ? 'alert' : 'status'}
      tabIndex={-1}
      className={`flex gap-2.5 rounded-lg p-3 text-sm ring-1 ring-inset focus:outline-none ${look}`}
    >
      {tone === 'error' ? (
        <AlertTriangleIcon className="mt-0.5 size-4 text-red-600 dark:text-red-400" />
      ) : (
        <CheckCircleIcon className="mt-0.5 size-4 text-emerald-600 dark:text-emerald-400" />
      )}
      <div className="min-w-0">
        <p className="font-semibold">{title}</p>
        {children ? <div className="mt-0.5">{children}</div> : null}
      </div>
    </div>
  );
}
