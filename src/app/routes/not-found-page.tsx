import { Link } from '@tanstack/react-router';
import { buttonClasses } from '../../components/ui/button.tsx';

export function NotFoundPage() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-semibold text-brand-600 dark:text-brand-400">Not found</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">There is no page at this address</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">The link may be old, or the address mistyped.</p>
      <Link to="/" className={`${buttonClasses({ variant: 'primary' })} mt-6`}>
        Go to Overview
      </Link>
    </div>
  );
}
