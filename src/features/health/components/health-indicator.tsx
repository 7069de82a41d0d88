import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useId, type ComponentType, type ReactNode } from 'react';
import {
  AlertTriangleIcon,
  CheckCircleIcon,
  ChevronDownIcon,
  CircleDotIcon,
  ClockIcon,
  CloudIcon,
  ServerIcon,
  WebhookIcon,
  XCircleIcon,
} from '../../../components/ui/icons.tsx';
import { useDisclosure } from '../../../components/ui/use-disclosure.ts';
import type { Health } from '../../../../contracts/health-schemas.ts';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatTimestamp, toIsoString, type TimeDisplay } from '../../../lib/format.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { HEALTH_POLL_MS, healthQueries } from '../api/health-queries.ts';
import { healthLevel, healthLevelLabels, healthLevelShortLabels, webhookStateWords, webhooksStopped, type HealthLevel } from './health-summary.ts';

type Icon = ComponentType<{ className?: string }>;

const levelLooks: Record<HealthLevel, { icon: Icon; button: string; iconColor: string }> = {
  checking: {
    icon: ClockIcon,
    button: 'ring-slate-300 text-slate-700 dark:ring-slate-700 dark:text-slate-300',
    iconColor: 'text-slate-500 dark:text-slate-400',
  },
  ok: {
    icon: CheckCircleIcon,
    button: 'ring-emerald-600/25 text-slate-800 dark:ring-emerald-400/25 dark:text-slate-200',
    iconColor: 'text-emerald-600 dark:text-emerald-400',
  },
  'webhooks-stopped': {
    icon: AlertTriangleIcon,
    button: 'bg-amber-50 ring-amber-600/30 text-amber-900 dark:bg-amber-500/10 dark:ring-amber-400/30 dark:text-amber-200',
    iconColor: 'text-amber-600 dark:text-amber-400',
  },
  'upstream-down': {
    icon: AlertTriangleIcon,
    button: 'bg-red-50 ring-red-600/30 text-red-900 dark:bg-red-500/10 dark:ring-red-400/30 dark:text-red-200',
    iconColor: 'text-red-600 dark:text-red-400',
  },
  'server-down': {
    icon: XCircleIcon,
    button: 'bg-red-50 ring-red-600/30 text-red-900 dark:bg-red-500/10 dark:ring-red-400/30 dark:text-red-200',
    iconColor: 'text-red-600 dark:text-red-400',
  },
};

/**
 * The header's status button: one line of words (never colour alone) that opens the three
 * facts behind it: is the console server answering, can it reach Catena, when did the last
 * webhook arrive.
 */
export function HealthIndicator() {
  const health = useQuery(healthQueries.status());
  const { open, setOpen, rootRef, buttonRef, onBlur } = useDisclosure();
  const panelId = useId();
  const headingId = useId();

  const level = healthLevel(health);
  const look = levelLooks[level];
  const label = healthLevelLabels[level];

  return (
    <div ref={rootRef} className="relative" onBlur={onBlur}>
      <button
        ref={buttonRef}
        type="button"
        aria-label={`System status: ${label}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className={`inline-flex h-9 items-center gap-2 rounded-full bg-white px-3 text-sm font-medium shadow-xs ring-1 ring-inset transition-colors hover:bg-slate-50 dark:bg-slate-900 dark:hover:bg-slate-800 ${look.button}`}
      >
        <look.icon className={`size-4 ${look.iconColor}`} />
        <span className="sm:hidden">{healthLevelShortLabels[level]}</span>
        <span className="hidden sm:inline">{label}</span>
        <ChevronDownIcon className={`size-4 opacity-60 transition-transform ${open ? 'rotate-180' : ''}`} />
      </button>

      {/* Announces trouble to screen readers when it starts, without repeating "all good" every poll. */}
      <span role="status" className="sr-only">
        {level === 'server-down' || level === 'upstream-down' || level === 'webhooks-stopped' ? label : ''}
      </span>

      <div
        id={panelId}
        role="region"
        aria-labelledby={headingId}
        hidden={!open}
        className="absolute right-0 z-30 mt-2 w-[min(24rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-4 shadow-lg shadow-slate-900/10 dark:border-slate-700 dark:bg-slate-900 dark:shadow-black/40"
      >
        {open ? <HealthDetails health={health} headingId={headingId} /> : null}
      </div>
    </div>
  );
}

type HealthQuery = UseQueryResult<Health>;

function HealthDetails({ health, headingId }: { health: HealthQuery; headingId: string }) {
  const now = useNow(1000);
  const timeDisplay = useTimeDisplay();
  const serverDown = health.isError;
  const data = health.data;

  return (
    <>
      <div className="flex items-baseline justify-between gap-3">
        <h2 id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-50">
          System status
        </h2>
        <p className="text-xs text-slate-500 dark:text-slate-400">Checked every {HEALTH_POLL_MS / 1000} s</p>
      </div>
      <dl className="mt-3 divide-y divide-slate-100 dark:divide-slate-800">
        <Fact
          label="Console server"
          subjectIcon={ServerIcon}
          state={serverDown ? 'bad' : data ? 'good' : 'unknown'}
          value={serverDown ? 'Unreachable' : data ? 'Reachable' : 'Checking…'}
        >
          {serverDown ? (
            <>
              {errorMessage(health.error)}
              {health.dataUpdatedAt > 0 ? (
                <>
                  {' '}
                  Last answer <Time value={health.dataUpdatedAt} display={timeDisplay} now={now} />.
                </>
              ) : null}
            </>
          ) : data ? (
            <>
              Answered <Time value={health.dataUpdatedAt} display={timeDisplay} now={now} />.
            </>
          ) : null}
        </Fact>

        <Fact
          label="Catena API"
          subjectIcon={CloudIcon}
          state={serverDown || !data ? 'unknown' : data.upstream.reachable ? 'good' : 'bad'}
          value={serverDown ? 'Unknown' : !data ? 'Checking…' : data.upstream.reachable ? 'Reachable' : 'Unreachable'}
        >
          {serverDown ? (
            'Only the console server can reach Catena.'
          ) : data ? (
            <>
              {!data.upstream.reachable && data.upstream.last_error ? (
                <span className="block text-red-800 dark:text-red-300">{data.upstream.last_error}</span>
              ) : null}
              {data.upstream.last_success_at ? (
                <>
                  Last success <Time value={data.upstream.last_success_at} display={timeDisplay} now={now} />.
                </>
              ) : (
                'No successful call yet.'
              )}
            </>
          ) : null}
        </Fact>

        <Fact
          label="Webhooks"
          subjectIcon={WebhookIcon}
          state={data && webhooksStopped(data.webhooks.subscription) ? 'bad' : data?.webhooks.last_received_at ? 'good' : 'neutral'}
          value={
            data && webhooksStopped(data.webhooks.subscription) ? (
              webhookStateWords[data.webhooks.subscription].value
            ) : data?.webhooks.last_received_at ? (
              <>
                Last received <Time value={data.webhooks.last_received_at} display={timeDisplay} now={now} />
              </>
            ) : data ? (
              'None received yet'
            ) : (
              'Unknown'
            )
          }
        >
          {data && webhooksStopped(data.webhooks.subscription) ? (
            <>
              {webhookStateWords[data.webhooks.subscription].why}
              {data.webhooks.last_received_at ? (
                <>
                  {' '}
                  Last received <Time value={data.webhooks.last_received_at} display={timeDisplay} now={now} />.
                </>
              ) : null}
            </>
          ) : data && !data.webhooks.last_received_at ? (
            'Catena sends one when an operation is created, succeeds or fails.'
          ) : serverDown && data ? (
            'As of the last answer from the console server.'
          ) : null}
        </Fact>
      </dl>
    </>
  );
}

type FactState = 'good' | 'bad' | 'unknown' | 'neutral';

const factStateLooks: Record<FactState, { icon: Icon; color: string }> = {
  good: { icon: CheckCircleIcon, color: 'text-emerald-600 dark:text-emerald-400' },
  bad: { icon: XCircleIcon, color: 'text-red-600 dark:text-red-400' },
  unknown: { icon: CircleDotIcon, color: 'text-slate-400 dark:text-slate-500' },
  neutral: { icon: ClockIcon, color: 'text-slate-500 dark:text-slate-400' },
};

function Fact({
  label,
  subjectIcon: SubjectIcon,
  state,
  value,
  children,
}: {
  label: string;
  subjectIcon: Icon;
  state: FactState;
  value: ReactNode;
  children?: ReactNode;
}) {
  const look = factStateLooks[state];
  return (
    // A <dl> row holds only <dt> and <dd>: the subject's icon sits inside the <dt>, placed in the gutter.
    <div className="relative min-w-0 py-3 pl-11 first:pt-0 last:pb-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        <span
          aria-hidden="true"
          className="absolute left-0 mt-0.5 grid size-8 place-items-center rounded-lg bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"
        >
          <SubjectIcon className="size-4" />
        </span>
        {label}
      </dt>
      <dd className="mt-0.5">
        <span className="flex items-center gap-1.5 text-sm font-medium text-slate-900 dark:text-slate-100">
          <look.icon className={`size-4 ${look.color}`} />
          {value}
        </span>
        {children ? <span className="mt-0.5 block text-xs text-slate-600 dark:text-slate-400">{children}</span> : null}
      </dd>
    </div>
  );
}

function Time({ value, display, now }: { value: string | number; display: TimeDisplay; now: number }) {
  const iso = toIsoString(value);
  return (
    <time dateTime={iso} title={iso}>
      {formatTimestamp(value, display, now)}
    </time>
  );
}
