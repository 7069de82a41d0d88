import { Button } from './button.tsx';
import { RefreshIcon } from './icons.tsx';

/** "Try again" for a query that could not load: asks once more, and spins while it asks. */
export function TryAgainButton({
  query,
  variant = 'primary',
}: {
  query: { refetch: () => Promise<unknown>; isFetching: boolean };
  variant?: 'primary' | 'secondary';
}) {
  return (
    <Button variant={variant} onClick={() => void query.refetch()} disabled={query.isFetching}>
      <RefreshIcon className={`size-4 ${query.isFetching ? 'animate-spin' : ''}`} />
      Try again
    </Button>
  );
}
