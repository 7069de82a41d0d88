import type { ComponentType, ReactNode } from 'react';
import {
  errorTypes,
  operationStatuses,
  type ErrorType,
  type OperationStatus,
  type OperationSummary,
} from '../../../../contracts/operation-schemas.ts';
import { AlertTriangleIcon as StuckIcon } from '../../../components/ui/icons.tsx';
import { errorTypeLooks, operationStatusLooks } from '../../../components/ui/operation-badges.tsx';

/**
 * Counts for the current filters: by status; failed operations by the error that ended them; and
 * how many got through after failed attempts — honest counts that add up (a failure counts once,
 * by its final error; a recovered operation is no failure). Each count is a toggle: pressed when
 * the view is filtered to exactly that, pressing another filters by it instead.
 */
export function OperationCounts({
  summary,
  status,
  error,
  stuck,
  onChange,
}: {
  summary: OperationSummary;
  status: readonly OperationStatus[];
  error: readonly ErrorType[];
  /** Whether the view shows stuck work only. */
  stuck: boolean;
  onChange: (next: { status?: OperationStatus[]; error?: ErrorType[]; stuck?: true | undefined }) => void;
}) {
  const onStatusChange = (next: OperationStatus[]) => onChange({ status: next });
  const showsRecovered = status.length === 1 && status[0] === 'success' && errorTypes.every((type) => error.includes(type));
  const recovered = errorTypes.reduce((sum, type) => sum + (summary.recovered_by_error_type[type] ?? 0), 0);
  return (
    <div className="space-y-4">
      <CountGroup label="By status" columns="grid-cols-2 sm:grid-cols-3">
        {operationStatuses.map((value) => {
          const look = operationStatusLooks[value];
          const pressed = status.length === 1 && status[0] === value;
          return (
            <CountButton
              key={value}
              label={look.label}
              count={summary.by_status[value] ?? 0}
              icon={look.icon}
              tone={value}
              pressed={pressed}
              hint={pressed ? `Show every status again` : `Show only ${look.label.toLowerCase()} operations`}
              onClick={() => onStatusChange(pressed ? [] : [value])}
            />
          );
        })}
      </CountGroup>
      <CountGroup label="Failed, by last error" columns="grid-cols-2 sm:grid-cols-4">
        {errorTypes.map((value) => {
          const look = errorTypeLooks[value];
          const pressed = error.length === 1 && error[0] === value && !(status.length === 1 && status[0] !== 'failed');
          return (
            <CountButton
              key={value}
              label={look.label}
              count={summary.by_error_type[value] ?? 0}
              tone="error"
              pressed={pressed}
              hint={pressed ? 'Show every error type again' : `Show the operations that failed with it: ${look.hint}`}
              onClick={() => onChange(pressed ? { error: [] } : { status: ['failed'], error: [value] })}
            />
          );
        })}
      </CountGroup>
      {/* One count each, side by side: the same width as two error counts. */}
      <div className="grid grid-cols-2 gap-2">
        <CountGroup label="Recovered" columns="grid-cols-1">
          <CountButton
            label="Succeeded after retries"
            count={recovered}
            tone="success"
            pressed={showsRecovered}
            hint={
              showsRecovered
                ? 'Show every operation again'
                : `Operations that got through after failed attempts (${errorTypes.map((type) => `${errorTypeLooks[type].label} ${summary.recovered_by_error_type[type] ?? 0}`).join(', ')})`
            }
            onClick={() => onChange(showsRecovered ? { status: [], error: [] } : { status: ['success'], error: [...errorTypes] })}
          />
        </CountGroup>
        <CountGroup label="Needs a look" columns="grid-cols-1">
          <CountButton
            label="Stuck"
            count={summary.stuck}
            icon={StuckIcon}
            tone="pending"
            pressed={stuck}
            hint={stuck ? 'Show every operation again' : 'Operations still pending well past the time their resource usually takes: they need a look'}
            onClick={() => onChange({ stuck: stuck ? undefined : true })}
          />
        </CountGroup>
      </div>
    </div>
  );
}

function CountGroup({ label, columns, children }: { label: string; columns: string; children: ReactNode }) {
  return (
    <div role="group" aria-label={label}>
      <p aria-hidden="true" className="mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {label}
      </p>
      <div className={`grid gap-2 ${columns}`}>{children}</div>
    </div>
  );
}

type CountTone = OperationStatus | 'error';

const toneClasses: Record<CountTone, string> = {
  pending: 'text-amber-600 dark:text-amber-400',
  success: 'text-emerald-600 dark:text-emerald-400',
  failed: 'text-red-600 dark:text-red-400',
  error: 'text-red-600 dark:text-red-400',
};

function CountButton({
  label,
  count,
  icon: Icon,
  tone,
  pressed,
  hint,
  onClick,
}: {
  label: string;
  count: number;
  icon?: ComponentType<{ className?: string }>;
  tone: CountTone;
  pressed: boolean;
  hint: string;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      aria-label={`${label}: ${count.toLocaleString()}`}
      title={hint}
      onClick={onClick}
      className={`group flex min-w-0 flex-col items-start rounded-lg px-3 py-2 text-left ring-1 transition-colors ring-inset ${
        pressed
          ? 'bg-brand-50 ring-brand-500/50 dark:bg-brand-400/10 dark:ring-brand-400/40'
          : 'bg-white ring-slate-200 hover:bg-slate-50 hover:ring-slate-300 dark:bg-slate-900 dark:ring-slate-800 dark:hover:bg-slate-800/60 dark:hover:ring-slate-700'
      }`}
    >
      <span className="flex items-center gap-1.5 text-xs font-medium text-slate-600 dark:text-slate-400">
        {Icon ? <Icon className={`size-3.5 ${toneClasses[tone]}`} /> : null}
        {label}
      </span>
      <span
        className={`mt-0.5 text-xl font-semibold tabular-nums ${count > 0 && (tone === 'failed' || tone === 'error') ? 'text-red-700 dark:text-red-300' : 'text-slate-900 dark:text-slate-50'}`}
      >
        {count.toLocaleString()}
      </span>
    </button>
  );
}
