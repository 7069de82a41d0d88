import { useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { WebhookReplayResult, WebhookSubscriptionState, WebhookSubscriptionView } from '../../../../contracts/webhook-subscription-schemas.ts';
import { Button } from '../../../components/ui/button.tsx';
import { AlertTriangleIcon, CheckCircleIcon, CircleDotIcon, PauseCircleIcon, RefreshIcon, XCircleIcon } from '../../../components/ui/icons.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStaleBadge, QueryStates } from '../../../components/ui/query-states.tsx';
import { Timestamp } from '../../../components/ui/timestamp.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { formatClockTime } from '../../../lib/format.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { webhookSubscriptionMutations, webhookSubscriptionQueries } from '../api/webhook-subscription-queries.ts';

type Icon = typeof CheckCircleIcon;

/** Each state in words (never colour alone) with what it means for the console. */
const stateLooks: Record<WebhookSubscriptionState, { label: string; meaning: string; icon: Icon; tone: string }> = {
  active: {
    label: 'Active',
    meaning: 'Catena delivers each event to the console as it happens.',
    icon: CheckCircleIcon,
    tone: 'bg-emerald-50 text-emerald-900 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-200 dark:ring-emerald-400/25',
  },
  stale: {
    label: 'Stale',
    meaning:
      'Catena stopped delivering after too many failed deliveries. New events wait in its dead-letter queue; the console reads Catena’s list meanwhile.',
    icon: AlertTriangleIcon,
    tone: 'bg-red-50 text-red-900 ring-red-600/30 dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/30',
  },
  paused: {
    label: 'Paused',
    meaning: 'Someone paused it at Catena. New events wait in its dead-letter queue; the console reads Catena’s list meanwhile.',
    icon: PauseCircleIcon,
    tone: 'bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-200 dark:ring-amber-400/30',
  },
  missing: {
    label: 'Not subscribed',
    meaning: 'Catena has none of the console’s subscriptions. The console makes them again at its next check.',
    icon: XCircleIcon,
    tone: 'bg-red-50 text-red-900 ring-red-600/30 dark:bg-red-500/10 dark:text-red-200 dark:ring-red-400/30',
  },
  unknown: {
    label: 'Not known yet',
    meaning: 'The console has not subscribed yet, or could not read the subscription from Catena.',
    icon: CircleDotIcon,
    tone: 'bg-slate-100 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-700',
  },
};

const eventWords: Record<string, string> = {
  'resource_operation.created': 'Operation created',
  'resource_operation.succeeded': 'Operation succeeded',
  'resource_operation.failed': 'Operation failed',
};

/**
 * "/webhooks" (admins only): whether Catena's webhooks reach this console — the subscription's
 * state, delivery success over 24 h, what waits in Catena's dead-letter queue, the last failed
 * deliveries — and "Reactivate and replay" to bring missed events back now rather than at the
 * server's next check (decision 0043).
 */
export function WebhooksPage() {
  const subscription = useQuery(webhookSubscriptionQueries.detail());
  const replay = useMutation(webhookSubscriptionMutations.replay());
  const data = subscription.data;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Webhooks</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          Catena tells the console about every operation by webhook. It retries a failed delivery for a few seconds, then keeps the event in a
          dead-letter queue for 14 days, and stops delivering to a subscription whose deliveries keep failing. The console brings it back by itself at
          start and on its checks; you can do it now.
        </p>
      </div>

      <Panel
        title="Our subscription"
        titleId="webhook-subscription-heading"
        description="Catena’s three subscriptions (created, succeeded, failed) shown as one."
        actions={
          <>
            <QueryStaleBadge query={subscription} />
            {data ? (
              <Button variant="primary" onClick={() => replay.mutate()} disabled={replay.isPending}>
                <RefreshIcon className={`size-4 ${replay.isPending ? 'animate-spin' : ''}`} />
                {replay.isPending ? 'Reactivating…' : 'Reactivate and replay'}
              </Button>
            ) : null}
          </>
        }
      >
        {/* The outcome of the button, announced when it changes. */}
        <div role="status" className="empty:hidden px-4 pt-4 sm:px-5">
          {replay.isSuccess ? <ReplayOutcome result={replay.data} at={replay.submittedAt} /> : null}
        </div>
        {replay.isError ? (
          <p
            role="alert"
            className="mx-4 mt-4 rounded-lg bg-red-50 px-3 py-2.5 text-sm text-red-900 ring-1 ring-red-600/25 ring-inset sm:mx-5 dark:bg-red-500/10 dark:text-red-200"
          >
            Could not reactivate and replay: {errorMessage(replay.error)}
          </p>
        ) : null}
        <QueryStates query={subscription} loading="Reading the subscription from Catena…" error={{ title: 'Could not read the subscription' }}>
          {(view) => <SubscriptionDetails view={view} />}
        </QueryStates>
      </Panel>
    </div>
  );
}

/**
 * What the press did, with when: it stays on the page, while the status above goes on following
 * Catena, so it says what happened then rather than claiming a state now.
 */
function ReplayOutcome({ result, at }: { result: WebhookReplayResult; at: number }) {
  const parts: string[] = [];
  parts.push(
    result.reactivated === 0
      ? 'Nothing needed reactivating.'
      : `Reactivated ${result.reactivated} ${result.reactivated === 1 ? 'subscription' : 'subscriptions'}.`,
  );
  parts.push(
    result.replayed === 0
      ? 'No missed events were waiting.'
      : `Catena is delivering ${result.replayed} missed ${result.replayed === 1 ? 'event' : 'events'} again.`,
  );
  return (
    <p className="flex items-center gap-2 rounded-lg bg-emerald-50 px-3 py-2.5 text-sm text-emerald-900 ring-1 ring-emerald-600/20 ring-inset dark:bg-emerald-500/10 dark:text-emerald-200">
      <CheckCircleIcon className="size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
      At {formatClockTime(at)}: {parts.join(' ')}
    </p>
  );
}

function SubscriptionDetails({ view }: { view: WebhookSubscriptionView }) {
  const now = useNow(1000);
  const display = useTimeDisplay();
  const look = stateLooks[view.status];
  const { metrics } = view;
  return (
    <div className="space-y-5 px-4 py-4 sm:px-5">
      <div className={`flex gap-3 rounded-lg px-3 py-3 ring-1 ring-inset ${look.tone}`}>
        <look.icon className="mt-0.5 size-5 shrink-0" />
        <div>
          <p className="text-sm font-semibold">Status: {look.label}</p>
          <p className="mt-0.5 text-sm">{look.meaning}</p>
          <p className="mt-1 text-xs opacity-80">
            Checked <Timestamp value={view.checked_at} display={display} now={now} />
          </p>
        </div>
      </div>

      <dl className="grid gap-3 sm:grid-cols-3">
        <Figure label="Delivery success (24 h)">
          {metrics.delivery_success_24h === null ? 'No deliveries' : `${metrics.delivery_success_24h} %`}
          <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">
            {metrics.succeeded_attempts_24h} of {metrics.attempts_24h} attempts delivered
          </span>
        </Figure>
        <Figure label="Waiting in the dead-letter queue">
          {metrics.dlq_count === 0 ? 'None' : `${metrics.dlq_count} ${metrics.dlq_count === 1 ? 'event' : 'events'}`}
          <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">Kept by Catena for 14 days</span>
        </Figure>
        <Figure label="Subscriptions">
          <ul className="space-y-0.5 text-sm font-normal">
            {view.subscriptions.length === 0 ? <li>None</li> : null}
            {view.subscriptions.map((s) => (
              <li key={s.event_name}>
                {eventWords[s.event_name] ?? s.event_name}: {s.status}
              </li>
            ))}
          </ul>
        </Figure>
      </dl>

      <section aria-labelledby="last-failures-heading">
        <h3 id="last-failures-heading" className="text-sm font-semibold text-slate-900 dark:text-slate-100">
          Last failed deliveries
        </h3>
        {view.last_failures.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">No failed deliveries in the last 14 days.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-xs text-slate-500 uppercase dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  When
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Event
                </th>
                <th scope="col" className="py-1.5 pr-3 font-medium">
                  Answer
                </th>
                <th scope="col" className="py-1.5 font-medium">
                  Error
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {view.last_failures.map((failure) => (
                <tr key={`${failure.at} ${failure.event_name} ${String(failure.status_code)}`}>
                  <td className="py-1.5 pr-3 whitespace-nowrap">
                    <Timestamp value={failure.at} display={display} now={now} />
                  </td>
                  <td className="py-1.5 pr-3">{eventWords[failure.event_name] ?? failure.event_name}</td>
                  <td className="py-1.5 pr-3 whitespace-nowrap">{failure.status_code === null ? 'No answer' : `HTTP ${failure.status_code}`}</td>
                  <td className="py-1.5 break-words text-slate-700 dark:text-slate-300">{failure.error_message ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 px-3 py-2.5 dark:border-slate-800">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-lg font-semibold text-slate-900 dark:text-slate-50">{children}</dd>
    </div>
  );
}
