import { ErrorComponent, type ErrorComponentProps } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { RefreshIcon } from '../../components/ui/icons.tsx';
import { isMissingChunkError, reloadForMissingChunk } from '../missing-chunk.ts';

/**
 * What a page shows when it could not be drawn. A page whose code is gone after a deploy
 * reloads the tab once, and says so plainly when that did not help (see missing-chunk.ts);
 * anything else gets the router's own error view, as before.
 */
export function RouteErrorPage({ error }: ErrorComponentProps) {
  if (isMissingChunkError(error)) return <MissingCodeNotice />;
  return <ErrorComponent error={error} />;
}

function MissingCodeNotice() {
  // Decided once per notice: React runs a mount effect twice in development, and the second
  // run would find the first one's guard and say "could not load" while the tab reloads.
  const reloaded = useRef<boolean | null>(null);
  const [reloading, setReloading] = useState(true);
  useEffect(() => {
    reloaded.current ??= reloadForMissingChunk();
    setReloading(reloaded.current);
  }, []);

  if (reloading) {
    return (
      <p role="status" className="py-14 text-center text-sm text-slate-600 dark:text-slate-400">
        Loading the current version of the console…
      </p>
    );
  }
  return (
    <EmptyState
      kind="error"
      title="This page could not be loaded"
      action={
        <Button variant="primary" onClick={() => window.location.reload()}>
          <RefreshIcon className="size-4" />
          Reload
        </Button>
      }
    >
      The console may have been updated since this tab was opened, or the connection dropped. Reload to get the current version; nothing you sent is
      lost.
    </EmptyState>
  );
}
