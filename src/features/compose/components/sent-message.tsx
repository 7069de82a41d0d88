import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from '@tanstack/react-router';
import type { OperationDetail } from '../../../../contracts/operation-schemas.ts';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { ErrorTypeBadge, OperationStatusBadge } from '../../../components/ui/operation-badges.tsx';
import { StaleBadge } from '../../../components/ui/stale-badge.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { operationDetailQueries } from '../../../lib/operation-detail-queries.ts';

/** What the status means for the dispatcher, in one sentence (and announced when it changes). */
function statusSentence(operation: OperationDetail, recipient: string, sync: boolean): string {
  switch (operation.status) {
    case 'pending':
      return operation.attempt_count > 0
        ? `Catena is retrying the delivery to ${recipient} (attempt ${operation.attempt_count} failed).`
        : `Catena accepted the message for ${recipient} and is delivering it.`;
    case 'success':
      return `Delivered: the TSP accepted the message for ${recipient}.`;
    case 'failed':
      return sync
        ? `Not delivered: the TSP refused the message for ${recipient}, so nothing was delivered. Nothing is retried; the text is still in the form.`
        : `Not delivered: Catena gave up on the message for ${recipient}.`;
  }
}

/**
 * The message just sent, beside the Send button and focused when it appears, followed live:
 * pending until Catena has delivered it or given up (polled, see operationDetailQueries.detail), with
 * the way into its full attempt log.
 */
export function SentMessage({ operationId, recipientName, sync }: { operationId: string; recipientName: string; sync: boolean }) {
  const operation = useQuery(operationDetailQueries.detail(operationId));
  const data = operation.data;
  const lastError = data ? [...data.logs].reverse().find((log) => log.status === 'failed') : undefined;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);

  return (
    <section ref={ref} tabIndex={-1} aria-labelledby="sent-message-heading" className="focus:outline-none">
      <div className="flex items-center justify-between gap-2">
        <h3 id="sent-message-heading" className="text-sm font-semibold text-slate-900 dark:text-slate-50">
          Sent message
        </h3>
        {operation.isError && data ? <StaleBadge since={operation.dataUpdatedAt} reason={errorMessage(operation.error)} /> : null}
      </div>
      <div className="mt-2 space-y-3">
        {data ? (
          <>
            <div className="flex flex-wrap items-center gap-2">
              <OperationStatusBadge status={data.status} />
              {data.last_error_type ? <ErrorTypeBadge errorType={data.last_error_type} /> : null}
              <span className="text-xs text-slate-500 dark:text-slate-400">
                {data.attempt_count} {data.attempt_count === 1 ? 'attempt' : 'attempts'}
              </span>
            </div>
            <p role="status" className="text-sm text-slate-800 dark:text-slate-200">
              {statusSentence(data, recipientName, sync)}
            </p>
            {data.status !== 'success' && lastError?.error_details ? (
              <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 dark:bg-slate-800/60 dark:text-slate-300">
                <span className="font-medium">Last error: </span>
                {lastError.error_details}
              </p>
            ) : null}
            {typeof data.payload.message_text === 'string' ? (
              <blockquote className="line-clamp-3 border-l-2 border-slate-200 pl-3 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
                {data.payload.message_text}
              </blockquote>
            ) : null}
            <Link to="/operations" search={{ op: data.id }} className={buttonClasses({ size: 'sm' })}>
              Open its operation log
            </Link>
          </>
        ) : operation.isError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            The message was sent, but its status could not be read: {errorMessage(operation.error)}
          </p>
        ) : (
          <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
            Reading its status…
          </p>
        )}
      </div>
    </section>
  );
}
