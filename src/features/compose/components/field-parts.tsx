import type { ReactNode } from 'react';

/** One part of the form: a heading-like label and its control(s). Fields are in components/ui/form-field.tsx. */
export function FormSection({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={`px-4 py-5 sm:px-5 ${className}`}>{children}</div>;
}
