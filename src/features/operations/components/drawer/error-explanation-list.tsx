import { useId, type ComponentType } from 'react';
import { AlertTriangleIcon, ShieldCheckIcon, XCircleIcon } from '../../../../components/ui/icons.tsx';
import type { ErrorExplanation, ResendSafety } from './error-explanations.ts';
import { ErrorTypeBadge } from '../../../../components/ui/operation-badges.tsx';

const safetyLooks: Record<ResendSafety, { label: string; icon: ComponentType<{ className?: string }>; color: string }> = {
  'fails-again': { label: 'Will fail again', icon: XCircleIcon, color: 'text-red-700 dark:text-red-300' },
  'may-duplicate': { label: 'May duplicate', icon: AlertTriangleIcon, color: 'text-amber-800 dark:text-amber-300' },
  'safe-after-recovery': { label: 'Safe after recovery', icon: ShieldCheckIcon, color: 'text-emerald-700 dark:text-emerald-300' },
  'safe-to-repeat': { label: 'Safe to repeat', icon: ShieldCheckIcon, color: 'text-emerald-700 dark:text-emerald-300' },
};

/** One card per error type the operation met: what it means, who must act, what to do, and whether to resend. */
export function ErrorExplanationList({ explanations, showResend }: { explanations: ErrorExplanation[]; showResend: boolean }) {
  const headingId = useId();
  if (explanations.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-50">
        What went wrong, and what to do
      </h3>
      <div className="mt-3 space-y-3">
        {explanations.map((explanation) => (
          <ExplanationCard key={explanation.errorType} explanation={explanation} showResend={showResend} />
        ))}
      </div>
    </section>
  );
}

function ExplanationCard({ explanation, showResend }: { explanation: ErrorExplanation; showResend: boolean }) {
  const titleId = useId();
  const safety = safetyLooks[explanation.resend.safety];
  return (
    <article aria-labelledby={titleId} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-center gap-2">
        <ErrorTypeBadge errorType={explanation.errorType} />
        <h4 id={titleId} className="text-sm font-semibold text-slate-900 dark:text-slate-50">
          {explanation.title}
        </h4>
      </div>
      <dl className="mt-3 grid gap-x-4 gap-y-2.5 text-sm sm:grid-cols-[8.5rem_minmax(0,1fr)]">
        <dt className="font-medium text-slate-500 dark:text-slate-400">What it means</dt>
        <dd className="text-slate-800 dark:text-slate-200">{explanation.meaning}</dd>
        <dt className="font-medium text-slate-500 dark:text-slate-400">Who must act</dt>
        <dd className="text-slate-800 dark:text-slate-200">{explanation.whoActs}</dd>
        <dt className="font-medium text-slate-500 dark:text-slate-400">What to do</dt>
        <dd className="font-medium text-slate-900 dark:text-slate-50">{explanation.whatToDo}</dd>
        {showResend ? (
          <>
            <dt className="font-medium text-slate-500 dark:text-slate-400">Resending</dt>
            <dd className="flex items-start gap-1.5 text-slate-800 dark:text-slate-200">
              <safety.icon className={`mt-0.5 size-4 ${safety.color}`} />
              <span>
                <span className={`font-semibold ${safety.color}`}>{safety.label}.</span> {explanation.resend.text}
              </span>
            </dd>
          </>
        ) : null}
      </dl>
    </article>
  );
}
