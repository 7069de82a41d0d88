import { useId } from 'react';
import type { OperationDetail, OperationLog } from '../../../../../contracts/operation-schemas.ts';
import { CheckCircleIcon, ClockIcon, XCircleIcon } from '../../../../components/ui/icons.tsx';
import { Timestamp } from '../../../../components/ui/timestamp.tsx';
import { durationBetween, formatDuration } from '../../../../lib/duration.ts';
import type { TimeDisplay } from '../../../../lib/format.ts';
import { AttemptOutcomeBadge, ErrorTypeBadge } from '../../../../components/ui/operation-badges.tsx';
import { attemptsInOrder, retrying } from './operation-summary.ts';

/**
 * Every attempt Catena made, oldest first: when, how it ended, the error type and the TSP's
 * HTTP status, the error details as Catena wrote them, and how long after the previous attempt
 * it came (the retry schedule, made visible).
 */
export function AttemptTimeline({ operation, display, now }: { operation: OperationDetail; display: TimeDisplay; now: number }) {
  const headingId = useId();
  const logs = attemptsInOrder(operation.logs);

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-50">
        Attempts <span className="font-normal text-slate-500 dark:text-slate-400">({logs.length})</span>
      </h3>
      {logs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          {operation.status === 'pending' ? 'No attempt yet: Catena has queued the operation.' : 'Catena recorded no attempts for this operation.'}
        </p>
      ) : (
        <ol aria-labelledby={headingId} className="mt-3">
          {logs.map((log, index) => (
            <Attempt
              key={log.id}
              log={log}
              number={index + 1}
              previous={logs[index - 1]}
              createdAt={operation.created_at}
              display={display}
              now={now}
              last={index === logs.length - 1 && operation.status !== 'pending'}
            />
          ))}
          {operation.status === 'pending' ? (
            <li className="relative flex gap-3 pb-1">
              <span className="z-10 grid size-7 shrink-0 place-items-center rounded-full bg-brand-50 text-brand-700 ring-1 ring-brand-600/25 ring-inset dark:bg-brand-400/10 dark:text-brand-200 dark:ring-brand-400/30">
                <ClockIcon className="size-4 animate-pulse" />
              </span>
              <p className="pt-1 text-sm text-slate-600 dark:text-slate-400">
                {logs.at(-1)?.status === 'failed'
                  ? `Catena is ${retrying(logs.length + 1, operation.attempts_expected)}…`
                  : 'Waiting for Catena to confirm…'}
              </p>
            </li>
          ) : null}
        </ol>
      )}
    </section>
  );
}

function Attempt({
  log,
  number,
  previous,
  createdAt,
  display,
  now,
  last,
}: {
  log: OperationLog;
  number: number;
  previous: OperationLog | undefined;
  createdAt: string;
  display: TimeDisplay;
  now: number;
  last: boolean;
}) {
  const failed = log.status === 'failed';
  const headers = Object.entries(log.response_headers ?? {});
  const gap = previous
    ? `${formatDuration(durationBetween(previous.created_at, log.created_at))} after attempt ${number - 1}`
    : `${formatDuration(durationBetween(createdAt, log.created_at))} after Catena accepted it`;

  return (
    <li className="relative flex gap-3 pb-5 last:pb-1">
      {last ? null : <span aria-hidden="true" className="absolute top-7 bottom-0 left-3.5 w-px bg-slate-200 dark:bg-slate-700" />}
      <span
        aria-hidden="true"
        className={`z-10 grid size-7 shrink-0 place-items-center rounded-full ring-1 ring-inset ${
          failed
            ? 'bg-red-50 text-red-600 ring-red-600/25 dark:bg-red-500/10 dark:text-red-400 dark:ring-red-400/30'
            : 'bg-emerald-50 text-emerald-600 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-400 dark:ring-emerald-400/30'
        }`}
      >
        {failed ? <XCircleIcon className="size-4" /> : <CheckCircleIcon className="size-4" />}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <h4 className="text-sm font-semibold text-slate-900 dark:text-slate-50">Attempt {number}</h4>
          <AttemptOutcomeBadge outcome={log.status} />
          {log.error_type ? <ErrorTypeBadge errorType={log.error_type} /> : null}
          {log.response_status_code != null ? (
            <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
              HTTP {log.response_status_code}
            </span>
          ) : (
            <span className="text-xs text-slate-500 dark:text-slate-400">No HTTP answer</span>
          )}
        </div>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          <Timestamp value={log.created_at} display={display} now={now} />
          <span aria-hidden="true"> · </span>
          <span className="sr-only">, </span>
          {gap}
        </p>
        {log.error_details ? (
          <pre className="mt-2 overflow-x-auto rounded-md bg-slate-50 px-3 py-2 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200 ring-inset dark:bg-slate-950/60 dark:text-slate-200 dark:ring-slate-800">
            <span className="sr-only">Error details: </span>
            {log.error_details}
          </pre>
        ) : null}
        {headers.length > 0 ? (
          <details className="group mt-2">
            <summary className="w-fit cursor-pointer rounded text-xs font-medium text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100">
              Response headers ({headers.length})
            </summary>
            <dl className="mt-1.5 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 font-mono text-xs">
              {headers.map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className="text-slate-500 dark:text-slate-400">{name}</dt>
                  <dd className="break-all text-slate-800 dark:text-slate-200">{value}</dd>
                </div>
              ))}
            </dl>
          </details>
        ) : null}
      </div>
    </li>
  );
}
