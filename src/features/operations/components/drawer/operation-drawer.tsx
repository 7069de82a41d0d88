import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useRef, type ReactNode } from 'react';
import type { DirectoryUser } from '../../../../../contracts/directory-schemas.ts';
import type { OperationDetail } from '../../../../../contracts/operation-schemas.ts';
import { Button } from '../../../../components/ui/button.tsx';
import { Drawer } from '../../../../components/ui/drawer.tsx';
import { CheckCircleIcon, ClockIcon, XCircleIcon, XIcon } from '../../../../components/ui/icons.tsx';
import { QueryStaleBadge, QueryStates, type QueryErrorView } from '../../../../components/ui/query-states.tsx';
import { isApiError } from '../../../../lib/api-client.ts';
import { connectionQueries } from '../../../../lib/connection-queries.ts';
import { OPERATION_DETAIL_POLL_MS, operationDetailQueries } from '../../../../lib/operation-detail-queries.ts';
import { tspDisplayName } from '../../../../lib/tsp-name.ts';
import { useNow } from '../../../../lib/use-now.ts';
import { userQueries } from '../../../../lib/user-queries.ts';
import { useTimeDisplay } from '../../../../stores/preferences-store.ts';
import { operationRecordQueries } from '../../api/operation-detail-queries.ts';
import { messageParties, personWithRole } from '../../message-people.ts';
import { AttemptTimeline } from './attempt-timeline.tsx';
import { ErrorExplanationList } from './error-explanation-list.tsx';
import { explainLogs, fieldFromDetails, resendVerdict } from './error-explanations.ts';
import { OperationFacts } from './operation-header.tsx';
import { summariseOperation } from './operation-summary.ts';
import { operationTitle } from './operation-words.ts';
import { PayloadView } from './payload-view.tsx';
import { RecordView } from './record-view.tsx';
import { ResendPanel } from './resend-panel.tsx';

export type OperationDrawerProps = {
  operationId: string;
  onClose: () => void;
  /** Shows another operation in the drawer (a resend, or the original it resent). */
  onOpenOperation: (id: string) => void;
};

/**
 * The log drawer: one operation explained. A sentence first (what happened), then what each
 * error means and who must act, whether to resend, every attempt, and the payload as asked and
 * as sent. Polls while the operation is pending; a failed refresh keeps what is on screen.
 */
export function OperationDrawer({ operationId, onClose, onOpenOperation }: OperationDrawerProps) {
  const overlineId = useId();
  const titleId = useId();
  const panelRef = useRef<HTMLDivElement>(null);
  const detail = useQuery(operationDetailQueries.detail(operationId));
  const operation = detail.data;

  const openOperation = (id: string) => {
    onOpenOperation(id);
    // The link that was clicked goes away with the old operation: keep focus in the drawer.
    panelRef.current?.focus();
  };

  return (
    <Drawer labelledBy={`${overlineId} ${titleId}`} onClose={onClose} panelRef={panelRef}>
      <header className="flex items-start justify-between gap-3 border-b border-slate-200 px-5 py-4 dark:border-slate-800">
        <div className="min-w-0">
          <p id={overlineId} className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
            Operation
          </p>
          <h2 id={titleId} className="mt-0.5 truncate text-lg font-semibold text-slate-900 dark:text-white">
            {operation ? operationTitle(operation) : detail.isPending ? 'Loading…' : 'Not available'}
          </h2>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <QueryStaleBadge query={detail} />
          <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close operation details" title="Close (Esc)">
            <XIcon className="size-5" />
          </Button>
        </div>
      </header>

      <div className="min-h-0 flex-1 overflow-y-auto">
        <QueryStates query={detail} loading={<DrawerSkeleton />} error={(error) => loadError(error, onClose)}>
          {(data) => <OperationDetailView key={data.id} operation={data} onOpenOperation={openOperation} />}
        </QueryStates>
      </div>
    </Drawer>
  );
}

function OperationDetailView({ operation, onOpenOperation }: { operation: OperationDetail; onOpenOperation: (id: string) => void }) {
  const display = useTimeDisplay();
  const now = useNow(1000);
  const connections = useQuery(connectionQueries.list());
  const users = useQuery(userQueries.list());

  const connection = connections.data?.items.find((candidate) => candidate.id === operation.connection_id);
  const tsp = tspDisplayName(connection?.tsp ?? operation.source_name);
  const context = { tsp, fleet: connection?.name ?? null, resource: operation.resource, operationType: operation.operation_type };
  const explanations = explainLogs(operation.logs, context);
  const verdict = resendVerdict(explanations, context);
  const summary = summariseOperation(operation, { tsp });

  const usersById = useMemo(
    () => new Map<string, DirectoryUser>((users.data?.items ?? []).map((user) => [user.id.toLowerCase(), user])),
    [users.data],
  );
  const parties = messageParties(operation.payload, usersById);
  const readAsRecord = operation.resource !== 'message';
  const record = useQuery({ ...operationRecordQueries.record(operation.id), enabled: readAsRecord });
  const names = useMemo(() => {
    const known = new Map<string, string>([...usersById].map(([id, user]) => [id, user.name]));
    for (const entry of record.data?.names ?? []) known.set(entry.id.toLowerCase(), entry.name);
    return known;
  }, [usersById, record.data]);
  const lastValidation = [...operation.logs].reverse().find((log) => log.error_type === 'validation');
  const errorField = fieldFromDetails(lastValidation?.error_details);
  const nameOf = (key: string, fallback: string) => {
    const id = operation.payload[key];
    return (typeof id === 'string' && usersById.get(id.toLowerCase())?.name) || fallback;
  };

  return (
    <div className="space-y-6 px-5 py-5">
      <OperationFacts
        operation={operation}
        connection={connection}
        tsp={tsp}
        display={display}
        now={now}
        replyFrom={operation.resource === 'message' && parties.sender && parties.fromDriver ? personWithRole(parties.sender) : undefined}
      />

      <Summary status={operation.status}>{summary}</Summary>

      <ResendPanel
        operation={operation}
        verdict={verdict}
        sender={nameOf('sender_id', 'the same sender')}
        recipient={nameOf('recipient_id', 'the same recipient')}
        connection={connection}
        tsp={tsp}
        onOpenOperation={onOpenOperation}
      />

      {operation.status === 'success' ? null : <ErrorExplanationList explanations={explanations} showResend={operation.status === 'failed'} />}

      <AttemptTimeline operation={operation} display={display} now={now} />

      <PayloadView
        operation={operation}
        tsp={tsp}
        users={{ byId: usersById, loading: users.isPending, failed: users.isError && !users.data }}
        record={
          readAsRecord ? (
            <RecordView
              operation={operation}
              record={record.data}
              recordState={record.data ? 'ready' : record.isError ? 'error' : 'loading'}
              errorField={errorField}
              tsp={tsp}
              names={names}
              onOpenOperation={onOpenOperation}
            />
          ) : undefined
        }
      />
    </div>
  );
}

const summaryLooks = {
  success: {
    icon: CheckCircleIcon,
    box: 'bg-emerald-50 ring-emerald-600/20 dark:bg-emerald-500/10 dark:ring-emerald-400/25',
    iconColor: 'text-emerald-600 dark:text-emerald-400',
  },
  failed: {
    icon: XCircleIcon,
    box: 'bg-red-50 ring-red-600/20 dark:bg-red-500/10 dark:ring-red-400/25',
    iconColor: 'text-red-600 dark:text-red-400',
  },
  pending: {
    icon: ClockIcon,
    box: 'bg-brand-50 ring-brand-600/20 dark:bg-brand-400/10 dark:ring-brand-400/25',
    iconColor: 'text-brand-600 dark:text-brand-300',
  },
} as const;

/** The one sentence that says what happened; announced again when polling changes it. */
function Summary({ status, children }: { status: OperationDetail['status']; children: ReactNode }) {
  const look = summaryLooks[status];
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={`flex gap-3 rounded-xl p-4 ring-1 ring-inset ${look.box}`}>
      <look.icon className={`mt-0.5 size-5 ${look.iconColor}`} />
      <div className="min-w-0">
        <h3 id={headingId} className="sr-only">
          Summary
        </h3>
        <p aria-live="polite" className="text-[15px] leading-snug font-medium text-slate-900 dark:text-slate-50">
          {children}
        </p>
        {status === 'pending' ? (
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">Checking for news every {OPERATION_DETAIL_POLL_MS / 1000} s.</p>
        ) : null}
      </div>
    </section>
  );
}

function loadError(error: unknown, onClose: () => void): QueryErrorView {
  if (isApiError(error) && (error.status === 404 || error.status === 400)) {
    return {
      title: error.status === 404 ? "This operation is not in the console's store" : 'This is not an operation id',
      body:
        error.status === 404
          ? "The console knows the operations it sent and those Catena told it about. This one may be older than the console's store, or belong to another partner."
          : 'The address names something that is not an operation id. Check the link it came from.',
      action: <Button onClick={onClose}>Close</Button>,
    };
  }
  return { title: 'Could not load this operation' };
}

function DrawerSkeleton() {
  return (
    <div role="status" className="space-y-6 px-5 py-5">
      <span className="sr-only">Loading the operation…</span>
      <div aria-hidden="true" className="grid animate-pulse grid-cols-4 gap-4">
        {[0, 1, 2, 3, 4, 5, 6, 7].map((cell) => (
          <div key={cell} className="space-y-1.5">
            <div className="h-2.5 w-16 rounded bg-slate-200 dark:bg-slate-800" />
            <div className="h-3.5 w-24 rounded bg-slate-200 dark:bg-slate-800" />
          </div>
        ))}
      </div>
      <div aria-hidden="true" className="h-16 animate-pulse rounded-xl bg-slate-100 dark:bg-slate-800/70" />
      <div aria-hidden="true" className="space-y-3">
        {[0, 1, 2].map((row) => (
          <div key={row} className="flex animate-pulse gap-3">
            <div className="size-7 rounded-full bg-slate-200 dark:bg-slate-800" />
            <div className="h-14 flex-1 rounded-lg bg-slate-100 dark:bg-slate-800/70" />
          </div>
        ))}
      </div>
    </div>
  );
}
