import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test/render.tsx';
import { MissingChunkError } from '../missing-chunk.ts';
import { RouteErrorPage } from './route-error-page.tsx';

afterEach(() => sessionStorage.clear());

const reset = () => undefined;
const gone = new MissingChunkError('Failed to fetch dynamically imported module: http://localhost/assets/compose-page-old.js');

describe('a page that could not be drawn', () => {
  it('offers a Reload when its code is still missing right after a reload', async () => {
    // The tab reloaded for this a moment ago (the guard in missing-chunk.ts).
    sessionStorage.setItem('fleetops:reloaded-for-missing-code-at', String(Date.now() - 1_000));
    renderWithProviders(<RouteErrorPage error={gone} reset={reset} />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This page could not be loaded');
    expect(alert).toHaveTextContent(/updated since this tab was opened/);
    expect(screen.getByRole('button', { name: 'Reload' })).toBeEnabled();
  });

  it('shows the router’s own error view for any other failure', () => {
    renderWithProviders(<RouteErrorPage error={new Error('the page broke')} reset={reset} />);
    expect(screen.getByText('Something went wrong!')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reload' })).not.toBeInTheDocument();
  });
});
