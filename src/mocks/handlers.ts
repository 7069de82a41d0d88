import { connectionHandlers } from './handlers/connection-handlers.ts';
import { healthHandlers } from './handlers/health-handlers.ts';
import { operationHandlers } from './handlers/operation-handlers.ts';
import { sessionHandlers } from './handlers/session-handlers.ts';

/** The happy path for every /api/* call the SPA makes; tests override one with server.use(). */
export const handlers = [...sessionHandlers, ...healthHandlers, ...connectionHandlers, ...operationHandlers];
