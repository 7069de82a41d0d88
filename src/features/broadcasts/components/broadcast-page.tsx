import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { recipientStatuses, type BroadcastDetail, type RecipientStatus } from '../../../../contracts/broadcast-schemas.ts';
import { RefreshIcon } from '../../../components/ui/icons.tsx';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { operationStatusLooks } from '../../../components/ui/operation-badges.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryStates } from '../../../components/ui/query-states.tsx';
import { SegmentedControl } from '../../../components/ui/segmented-control.tsx';
import { StaleBadge } from '../../../components/ui/stale-badge.tsx';
import { Timestamp } from '../../../components/ui/timestamp.tsx';
import { errorMessage, isApiError } from '../../../lib/api-client.ts';
import { broadcastQueries, isUnderWay } from '../../../lib/broadcast-queries.ts';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useCan } from '../../../lib/use-session.ts';
import { useTimeDisplay } from '../../../stores/preferences-store.ts';
import { broadcastRoute } from '../broadcasts-routes.ts';
import { BroadcastProgress, PaceLine } from './broadcast-progress.tsx';
import { recipientCardLayout, recipientColumns, recipientTableFeatures } from './recipient-columns.tsx';
import { BackLink, framedWithBackLink } from '../../../components/ui/back-link.tsx';

/** Until the broadcast is here: the way back, and a card for what is said instead. */
const withBackLink = framedWithBackLink(<BackLink to="/broadcasts">All broadcasts</BackLink>);
import { ResendFailedDialog } from './resend-failed-dialog.tsx';

type StatusFilter = RecipientStatus | 'all';

/** "/broadcasts/$broadcastId": one broadcast, recipient by recipient, live until every one is final. */
export function BroadcastPage() {
  const { broadcastId } = broadcastRoute.useParams();
  const broadcast = useQuery(broadcastQueries.detail(broadcastId));

  return (
    <QueryStates
      query={broadcast}
      loading="Loading the broadcast…"
      error={(error) =>
        isApiError(error) && (error.status === 404 || error.status === 400)
          ? {
              title: 'No such broadcast',
              action: (
                <Link to="/broadcasts" className={buttonClasses({ variant: 'primary' })}>
                  See all broadcasts
                </Link>
              ),
            }
          : { title: 'Could not load the broadcast' }
      }
      frame={withBackLink}
    >
      {(data) => (
        <BroadcastView
          broadcast={data}
          staleSince={broadcast.isError ? broadcast.dataUpdatedAt : null}
          staleReason={broadcast.isError ? errorMessage(broadcast.error) : null}
        />
      )}
    </QueryStates>
  );
}

function BroadcastView({
  broadcast,
  staleSince,
  staleReason,
}: {
  broadcast: BroadcastDetail;
  staleSince: number | null;
  staleReason: string | null;
}) {
  const search = broadcastRoute.useSearch();
  const navigate = broadcastRoute.useNavigate();
  const timeDisplay = useTimeDisplay();
  const now = useNow(10_000);
  const [confirming, setConfirming] = useState(false);
  // The bulk resend just started here, to say so where the button was (its page follows it in full).
  const [started, setStarted] = useState<{ id: string; count: number } | null>(null);
  // The server refuses a resend to a role without the capability; the button is not offered either.
  const mayResend = useCan('resend');

  const filter: StatusFilter = search.status ?? 'all';
  const recipients = useMemo(
    () => (filter === 'all' ? broadcast.recipients : broadcast.recipients.filter((recipient) => recipient.status === filter)),
    [broadcast.recipients, filter],
  );
  const table = useTable({
    features: recipientTableFeatures,
    columns: recipientColumns,
    data: recipients,
    getRowId: (recipient) => recipient.recipient_id,
  });

  const { counts } = broadcast;
  const resendCount = broadcast.resend_failed?.count ?? 0;
  const underWay = isUnderWay(counts);
  const audience = broadcast.all_drivers
    ? `all drivers of ${broadcast.connection_name}`
    : `${broadcast.recipient_count} ${broadcast.recipient_count === 1 ? 'driver' : 'drivers'} of ${broadcast.connection_name}`;
  const filterOptions = [
    { value: 'all' as const, label: `All ${broadcast.recipient_count}` },
    ...recipientStatuses.map((status) => ({ value: status, label: `${operationStatusLooks[status].label} ${counts[status]}` })),
  ];

  return (
    <div className="space-y-6">
      <BackLink to="/broadcasts">All broadcasts</BackLink>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Broadcast to {audience}</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Sent <Timestamp value={broadcast.created_at} display={timeDisplay} now={now} /> from {broadcast.sender_name}{' '}
            <span className="text-slate-500 dark:text-slate-400">(the fleet&apos;s dispatcher on Catena)</span>
            {broadcast.created_by_name ? ` by ${broadcast.created_by_name} in this console` : ''} through {broadcast.connection_name} (
            {tspDisplayName(broadcast.tsp)}){broadcast.priority ? ` · ${broadcast.priority} priority` : ''}
          </p>
          <BroadcastLinks broadcast={broadcast} />
        </div>
      </div>

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Panel
          title="Delivery"
          titleId="delivery-heading"
          description={
            underWay
              ? `Updating live: ${counts.queued + counts.pending} of ${broadcast.recipient_count} still on their way.`
              : 'Every recipient has a final status.'
          }
          actions={
            <>
              {staleSince !== null ? <StaleBadge since={staleSince} reason={staleReason ?? undefined} /> : null}
              {resendCount > 0 && mayResend ? (
                <Button variant="primary" size="sm" onClick={() => setConfirming(true)}>
                  <RefreshIcon className="size-4" />
                  Resend to {resendCount} failed {resendCount === 1 ? 'recipient' : 'recipients'}
                </Button>
              ) : null}
            </>
          }
        >
          <div className="px-4 py-5 sm:px-5">
            <BroadcastProgress counts={counts} total={broadcast.recipient_count} label="Delivery progress" />
            {broadcast.pace ? <PaceLine pace={broadcast.pace} /> : null}
            {started ? <ResendStarted key={started.id} batchId={started.id} count={started.count} /> : null}
            {resendCount === 0 && broadcast.resend_failed?.reason ? (
              <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Nothing to resend: {broadcast.resend_failed.reason}</p>
            ) : null}
            {/* Announced once, when the last recipient settles; not at every poll. */}
            <p role="status" className="sr-only">
              {underWay ? '' : `All recipients are final: ${counts.success} succeeded, ${counts.failed} failed.`}
            </p>
          </div>
        </Panel>

        <Panel title="Message" titleId="message-heading">
          <p className="px-4 py-4 text-sm leading-relaxed whitespace-pre-wrap text-slate-800 sm:px-5 dark:text-slate-200">{broadcast.message_text}</p>
        </Panel>
      </div>

      <Panel title="Recipients" titleId="recipients-heading" description="Each recipient gets a message of its own; its log tells every attempt.">
        {/* A toolbar row of its own: it scrolls sideways on a narrow screen instead of widening the page. */}
        <div className="overflow-x-auto border-b border-slate-200 px-4 py-2.5 sm:px-5 dark:border-slate-800">
          <SegmentedControl
            legend="Show recipients"
            options={filterOptions}
            value={filter}
            onChange={(value) =>
              void navigate({ search: (previous) => ({ ...previous, status: value === 'all' ? undefined : value }), replace: true })
            }
          />
        </div>
        {recipients.length === 0 ? (
          <EmptyState
            kind="no-match"
            title={`No ${filter === 'all' ? '' : `${operationStatusLooks[filter].label.toLowerCase()} `}recipients`}
            action={
              <Button onClick={() => void navigate({ search: (previous) => ({ ...previous, status: undefined }), replace: true })}>
                Show all recipients
              </Button>
            }
          >
            {filter === 'failed' ? 'Nobody’s message failed.' : 'None of this broadcast’s recipients has this status now.'}
          </EmptyState>
        ) : (
          <DataTable
            table={table}
            caption={`Recipients${filter === 'all' ? '' : ` (${operationStatusLooks[filter].label.toLowerCase()})`}: driver, newest status, history, attempts, last error and operation`}
            rowHeaderColumnId="name"
            columnClasses={{ status: 'w-40', attempt_count: 'w-24', operation_id: 'w-40' }}
            card={recipientCardLayout}
          />
        )}
      </Panel>

      {confirming ? (
        <ResendFailedDialog
          broadcast={broadcast}
          count={resendCount}
          onClose={() => setConfirming(false)}
          onResent={(batch) => {
            setConfirming(false);
            setStarted({ id: batch.id, count: batch.will_resend });
          }}
        />
      ) : null}
    </div>
  );
}

const linkClasses = 'font-medium text-brand-700 hover:underline dark:text-brand-300';

/** Said where the button was, and focused: the dialog that had focus is gone; this page goes on updating. */
function ResendStarted({ batchId, count }: { batchId: string; count: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} role="status" className="mt-3 text-sm text-slate-800 focus:outline-none dark:text-slate-200">
      <p>
        Resending to {count} {count === 1 ? 'recipient' : 'recipients'}: their rows below follow the resend live.{' '}
        <Link to="/resend-batches/$batchId" params={{ batchId }} className={linkClasses}>
          Open the bulk resend
        </Link>
      </p>
    </div>
  );
}

/** "Resend of …" and "Resent as …" (broadcasts resent before bulk resends), and the bulk resends of its failed recipients. */
function BroadcastLinks({ broadcast }: { broadcast: BroadcastDetail }) {
  const batchIds = broadcast.resend_batch_ids ?? [];
  if (!broadcast.resend_of && broadcast.resent_as.length === 0 && batchIds.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 text-sm text-slate-600 dark:text-slate-400">
      {broadcast.resend_of ? (
        <li>
          <Link to="/broadcasts/$broadcastId" params={{ broadcastId: broadcast.resend_of }} search={{}} className={linkClasses}>
            Resend of an earlier broadcast
          </Link>{' '}
          (to its failed recipients)
        </li>
      ) : null}
      {broadcast.resent_as.map((id, index) => (
        <li key={id}>
          <Link to="/broadcasts/$broadcastId" params={{ broadcastId: id }} search={{}} className={linkClasses}>
            Resent as {broadcast.resent_as.length > 1 ? `resend ${index + 1}` : 'a new broadcast'}
          </Link>{' '}
          (to the recipients that had failed)
        </li>
      ))}
      {batchIds.map((id, index) => (
        <li key={id}>
          <Link to="/resend-batches/$batchId" params={{ batchId: id }} className={linkClasses}>
            {batchIds.length > 1 ? `Bulk resend ${index + 1}` : 'Bulk resend'} of its failed recipients
          </Link>
        </li>
      ))}
    </ul>
  );
}
