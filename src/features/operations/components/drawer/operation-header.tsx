import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { Connection } from '../../../../../contracts/directory-schemas.ts';
import type { OperationDetail } from '../../../../../contracts/operation-schemas.ts';
import { CopyButton } from '../../../../components/ui/copy-button.tsx';
import { Timestamp } from '../../../../components/ui/timestamp.tsx';
import type { TimeDisplay } from '../../../../lib/format.ts';
import { OperationStatusBadge } from '../../../../components/ui/operation-badges.tsx';
import { operationTypeLabels, resourceLabel } from '../operation-looks.tsx';

/** The what, where and when of one operation, with its three ids ready to copy into a ticket. */
export function OperationFacts({
  operation,
  connection,
  tsp,
  display,
  now,
  replyFrom,
}: {
  operation: OperationDetail;
  connection: Connection | undefined;
  tsp: string;
  display: TimeDisplay;
  now: number;
  /** "Abdi Price (driver)" when the message's sender is a driver: a reply from the cab. */
  replyFrom?: string | undefined;
}) {
  // A failed write is final: Catena made no record, so "None yet" would promise one that never comes.
  const failed = operation.status === 'failed';
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
        <Fact label="Status">
          <OperationStatusBadge status={operation.status} />
        </Fact>
        <Fact label="Resource">{resourceLabel(operation.resource)}</Fact>
        <Fact label="Operation type">{operationTypeLabels[operation.operation_type]}</Fact>
        <Fact label="TSP">{tsp}</Fact>
        <Fact label="Connection" wide>
          {connection ? connection.name : <span className="text-slate-500 dark:text-slate-400">Unknown connection</span>}
          {operation.fleet_ref ? <span className="ml-1.5 font-mono text-xs text-slate-500 dark:text-slate-400">{operation.fleet_ref}</span> : null}
        </Fact>
        <Fact label="Created">
          <Timestamp value={operation.created_at} display={display} now={now} />
        </Fact>
        <Fact label="Updated">
          <Timestamp value={operation.updated_at} display={display} now={now} />
        </Fact>
        {replyFrom ? (
          <Fact label="From" wide>
            {replyFrom} <span className="text-slate-500 dark:text-slate-400">· a driver&apos;s reply</span>
          </Fact>
        ) : null}
        {operation.sent_by !== undefined ? (
          <Fact label="Sent by" wide>
            {operation.sent_by ?? (
              <span className="text-slate-500 dark:text-slate-400">{replyFrom ? 'The driver, not this console' : 'Not sent from this console'}</span>
            )}
          </Fact>
        ) : null}
        {operation.broadcast_id ? (
          <Fact label="Broadcast" wide>
            <Link to="/broadcasts/$broadcastId" params={{ broadcastId: operation.broadcast_id }} search={{}} className={linkClasses}>
              Open the broadcast <span className="sr-only">this message was part of</span>
            </Link>
          </Fact>
        ) : null}
        {operation.resend_batch_id ? (
          <Fact label="Bulk resend" wide>
            <Link to="/resend-batches/$batchId" params={{ batchId: operation.resend_batch_id }} className={linkClasses}>
              Open the bulk resend <span className="sr-only">that sent this message</span>
            </Link>
          </Fact>
        ) : null}
      </dl>
      <dl className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-center gap-x-3 gap-y-1 rounded-lg bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200 ring-inset dark:bg-slate-800/40 dark:ring-slate-800">
        <IdFact label="Operation id" value={operation.id} />
        <IdFact
          label="Resource id"
          value={operation.resource_id}
          missing={failed ? 'None: the write failed, so Catena made no record.' : 'None yet: Catena sets it when the write succeeds.'}
        />
        <IdFact
          label="Source id"
          value={operation.source_id}
          missing={failed ? `None: the write failed, so ${tsp} made no record.` : `None yet: the ${tsp} id, set when the write succeeds.`}
        />
      </dl>
    </div>
  );
}

const linkClasses = 'font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300';

function Fact({ label, wide = false, children }: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 ${wide ? 'col-span-2' : ''}`}>
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 text-slate-900 dark:text-slate-100">{children}</dd>
    </div>
  );
}

function IdFact({ label, value, missing }: { label: string; value: string | null; missing?: string }) {
  return (
    <>
      <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="flex min-h-7 min-w-0 items-center gap-1">
        {value ? (
          <>
            <span className="font-mono text-[13px] break-all text-slate-900 dark:text-slate-100">{value}</span>
            <CopyButton value={value} label={label.toLowerCase()} />
          </>
        ) : (
          <span className="text-[13px] text-slate-500 dark:text-slate-400">{missing ?? 'None'}</span>
        )}
      </dd>
    </>
  );
}
