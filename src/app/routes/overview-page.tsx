import { ConnectionsPanel } from '../../features/connections/components/connections-panel.tsx';
import { FailuresPanel } from '../../features/operations/components/failures-panel.tsx';

/** "/": what a person needs first: which fleets are connected and whether they can be reached. */
export function OverviewPage() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Overview</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
          The fleets connected to your Catena account, how each connection is doing, and what failed to be written.
        </p>
      </div>
      <ConnectionsPanel />
      <FailuresPanel />
    </div>
  );
}
