import { setupServer } from 'msw/node';
import { handlers } from './handlers.ts';

/** MSW for Vitest (src/test/setup.ts starts and resets it). */
export const server = setupServer(...handlers);
