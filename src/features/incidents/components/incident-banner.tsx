import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { incidentSchema, type Incident } from '../../../../contracts/incident-schemas.ts';
import { Button } from '../../../components/ui/button.tsx';
import { apiRequest, errorMessage } from '../../../lib/api-client.ts';
import { formatLocal } from '../../../lib/format.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { incidentQueries } from '../../../lib/incident-queries.ts';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useCan } from '../../../lib/use-session.ts';

/** A recovered incident whose resend was armed stays in view this long, with the link to its bulk resend. */
const RECOVERED_SHOWN_MS = 30 * 60_000;

const linkClasses = 'font-medium underline underline-offset-2 hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2';

/**
 * Provider incidents on every page (decision 0045): each open one in words — which TSP, since
 * when, how many failed writes on how many fleets — with a link to those failures and, for those
 * who may resend, "Resend these when <TSP> recovers". After recovery an armed one says its resend
 * started and links to it. Nothing when no provider is degraded.
 */
export function IncidentBanners() {
  const open = useQuery(incidentQueries.open());
  const recent = useQuery(incidentQueries.recent());
  // A minute's precision is enough to let a recovered incident go after its half hour.
  const now = useNow(60_000);
  const openItems = open.data?.items ?? [];
  const recovered = (recent.data?.items ?? []).filter(
    (incident) =>
      incident.closed_at !== null &&
      incident.armed_resend !== null &&
      now - Date.parse(incident.closed_at) < RECOVERED_SHOWN_MS &&
      !openItems.some((item) => item.id === incident.id),
  );
  // Screen readers hear which providers are degraded or recovered when that changes, not every
  // poll's new count: the banners themselves are regions, read when reached, never announced.
  const announcement = [
    ...openItems.map((incident) => `Provider incident: ${tspDisplayName(incident.tsp)} degraded.`),
    ...recovered.map((incident) => `${tspDisplayName(incident.tsp)} recovered.`),
  ].join(' ');
  return (
    <>
      <span role="status" className="sr-only">
        {announcement}
      </span>
      {openItems.length === 0 && recovered.length === 0 ? null : (
        <div className="mx-auto flex w-full max-w-shell flex-col gap-2 px-4 pt-4 sm:px-6 lg:px-8">
          {openItems.map((incident) => (
            <OpenIncident key={incident.id} incident={incident} />
          ))}
          {recovered.map((incident) => (
            <RecoveredIncident key={incident.id} incident={incident} />
          ))}
        </div>
      )}
    </>
  );
}

function fleets(count: number): string {
  return `${count} ${count === 1 ? 'fleet' : 'fleets'}`;
}

function writes(count: number): string {
  return `${count} failed ${count === 1 ? 'write' : 'writes'}`;
}

function OpenIncident({ incident }: { incident: Incident }) {
  const tsp = tspDisplayName(incident.tsp);
  const canResend = useCan('resend');
  const queryClient = useQueryClient();
  const arm = useMutation({
    mutationFn: (key: string) =>
      apiRequest(`/api/incidents/${encodeURIComponent(incident.id)}/armed-resend`, incidentSchema, {
        method: 'POST',
        headers: { 'Idempotency-Key': key },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: incidentQueries.all() }),
  });
  const armed = incident.armed_resend ?? arm.data?.armed_resend ?? null;
  const heading = `${tsp} degraded since ${formatLocal(incident.since)} — ${writes(incident.failed_count)} across ${fleets(incident.connection_ids.length)}`;
  return (
    <section
      aria-label={`Provider incident: ${tsp}`}
      className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="min-w-0 flex-1">
        <span className="font-semibold">Provider incident: </span>
        {heading}.{' '}
        <Link to="/operations" search={{ incident: incident.id }} className={linkClasses}>
          Show the failed writes
        </Link>
      </p>
      {armed ? (
        <p className="font-medium">
          Armed: resend of {incident.failed_count} {incident.failed_count === 1 ? 'write' : 'writes'} starts when {tsp} recovers
          {armed.armed_by_name ? ` (armed by ${armed.armed_by_name})` : ''}.
        </p>
      ) : canResend ? (
        <div className="flex items-center gap-3">
          {arm.isError ? (
            <p role="alert" className="text-red-800 dark:text-red-300">
              {errorMessage(arm.error)}
            </p>
          ) : null}
          <Button variant="primary" size="sm" disabled={arm.isPending} onClick={() => arm.mutate(arm.variables ?? newIdempotencyKey())}>
            {arm.isPending ? 'Arming…' : `Resend these when ${tsp} recovers`}
          </Button>
        </div>
      ) : null}
    </section>
  );
}

function RecoveredIncident({ incident }: { incident: Incident }) {
  const tsp = tspDisplayName(incident.tsp);
  const batchId = incident.armed_resend?.resend_batch_id ?? null;
  const note = incident.armed_resend?.note ?? null;
  return (
    <section
      aria-label={`${tsp} recovered`}
      className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-950 dark:border-emerald-700 dark:bg-emerald-950/40 dark:text-emerald-100"
    >
      <p className="min-w-0 flex-1">
        <span className="font-semibold">Recovered: </span>
        {tsp} recovered at {formatLocal(incident.closed_at ?? incident.opened_at)}.{' '}
        {batchId ? (
          <>
            The armed resend of {writes(incident.failed_count)} has started.{' '}
            <Link to="/resend-batches/$batchId" params={{ batchId }} className={linkClasses}>
              View the bulk resend
            </Link>
          </>
        ) : note ? (
          `The armed resend did not start: ${note}`
        ) : (
          'The armed resend is starting…'
        )}
      </p>
    </section>
  );
}
