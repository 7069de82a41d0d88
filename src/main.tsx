import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { queryClient } from './app/query-client.ts';
import { createAppRouter } from './app/router.tsx';
import { sessionQueries } from './lib/session-queries.ts';
import { syncThemeWithDocument } from './app/theme.ts';
import './index.css';

function main(): void {
  syncThemeWithDocument();
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('index.html has no #root element');
  // Ask who is signed in now, alongside loading the first page's code, not after it.
  if (window.location.pathname !== '/sign-in') void queryClient.prefetchQuery(sessionQueries.current());
  const router = createAppRouter({ queryClient });
  createRoot(rootElement).render(
    <StrictMode>
      <App queryClient={queryClient} router={router} />
    </StrictMode>,
  );
}

main();
