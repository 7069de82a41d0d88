import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { QueryStaleBadge, QueryStates } from './query-states.tsx';

type Answer = () => Promise<string[]>;

function Things({ answer }: { answer: Answer }) {
  const things = useQuery({ queryKey: ['things'], queryFn: answer });
  return (
    <section aria-label="Things">
      <QueryStaleBadge query={things} />
      <QueryStates
        query={things}
        loading="Loading things…"
        error={{ title: 'Could not load the things' }}
        empty={{ when: (data) => data.length === 0, title: 'No things yet', body: 'Make one.' }}
      >
        {(data) => (
          <ul aria-label="All things">
            {data.map((thing) => (
              <li key={thing}>{thing}</li>
            ))}
          </ul>
        )}
      </QueryStates>
    </section>
  );
}

function renderThings(answer: Answer) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={queryClient}>
      <Things answer={answer} />
    </QueryClientProvider>,
  );
  return { user, queryClient };
}

/** Answers with each of `answers` in turn, then keeps giving the last. */
function inTurn(...answers: (string[] | Error)[]): Answer {
  let call = 0;
  return async () => {
    const next = answers[Math.min(call, answers.length - 1)];
    call += 1;
    if (next instanceof Error) throw next;
    return next ?? [];
  };
}

describe('QueryStates', () => {
  it('announces that it is loading', async () => {
    renderThings(() => new Promise<string[]>(() => {}));
    expect(await screen.findByRole('status')).toHaveTextContent('Loading things…');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows the data when it loads', async () => {
    renderThings(inTurn(['a bolt', 'a nut']));
    const list = await screen.findByRole('list', { name: 'All things' });
    expect(list).toHaveTextContent('a bolt');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('names an empty result with its reason', async () => {
    renderThings(inTurn([]));
    expect(await screen.findByRole('heading', { name: 'No things yet' })).toBeInTheDocument();
    expect(screen.getByText('Make one.')).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows the error with its message, and "Try again" asks once more', async () => {
    const { user } = renderThings(inTurn(new Error('The server is down.'), ['a bolt']));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the things');
    expect(alert).toHaveTextContent('The server is down.');

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('list', { name: 'All things' })).toHaveTextContent('a bolt');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the data on screen, marked stale, when a refresh fails', async () => {
    const { queryClient } = renderThings(inTurn(['a bolt'], new Error('The server is down.')));
    await screen.findByRole('list', { name: 'All things' });

    await queryClient.refetchQueries({ queryKey: ['things'] });
    expect(await screen.findByText(/^Stale since/)).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'All things' })).toHaveTextContent('a bolt');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
