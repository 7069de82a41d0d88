import { XIcon } from '../../../components/ui/icons.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { LAST_ADMIN_CODE } from '../api/account-queries.ts';

/** Why a change to an account did not happen, beside the control that tried it. */
export function AccountChangeError({ id, error, onDismiss }: { id: string; error: unknown; onDismiss?: () => void }) {
  const lastAdmin = isApiError(error) && error.code === LAST_ADMIN_CODE;
  return (
    <div
      id={id}
      role="alert"
      className="mt-2 flex max-w-xs items-start gap-2 rounded-md bg-red-50 px-2.5 py-2 text-xs text-red-900 ring-1 ring-red-600/20 ring-inset dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/25"
    >
      <p className="min-w-0 flex-1 whitespace-normal">
        {lastAdmin ? <span className="font-semibold">Not changed. </span> : <span className="font-semibold">Could not change it. </span>}
        {errorMessage(error)}
      </p>
      {onDismiss ? (
        <button
          type="button"
          onClick={onDismiss}
          className="-m-1 rounded p-1 text-red-700 hover:bg-red-100 dark:text-red-300 dark:hover:bg-red-500/20"
        >
          <XIcon className="size-3.5" />
          <span className="sr-only">Dismiss</span>
        </button>
      ) : null}
    </div>
  );
}
