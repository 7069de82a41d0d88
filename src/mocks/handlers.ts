import { accountHandlers } from './handlers/account-handlers.ts';
import { broadcastHandlers } from './handlers/broadcast-handlers.ts';
import { composeHandlers } from './handlers/compose-handlers.ts';
import { connectionHandlers } from './handlers/connection-handlers.ts';
import { demoHandlers } from './handlers/demo-handlers.ts';
import { healthHandlers } from './handlers/health-handlers.ts';
import { incidentHandlers } from './handlers/incident-handlers.ts';
import { operationDetailHandlers } from './handlers/operation-detail-handlers.ts';
import { operationHandlers } from './handlers/operation-handlers.ts';
import { resendBatchHandlers } from './handlers/resend-batch-handlers.ts';
import { sendHandlers } from './handlers/send-handlers.ts';
import { sessionHandlers } from './handlers/session-handlers.ts';
import { userHandlers } from './handlers/user-handlers.ts';
import { webhookSubscriptionHandlers } from './handlers/webhook-subscription-handlers.ts';

/**
 * The happy path for every /api/* call the SPA makes, answered with fixtures (a create answers
 * what the request asked for, built by the fixture builders); no handler copies the server's
 * checks, filters, search, paging or idempotency. A test that needs a refusal, a failure, a
 * filtered answer or a replay overrides the handler with server.use() and the fixture builders.
 * A request body that breaks its contract (contracts/) throws, so the test fails.
 */
// The operation detail's `/api/operations/:id` passes on what is not an id, so it comes after any
// handler for a fixed path under /api/operations/. Compose's and Broadcasts' answer only for
// their messages (sent here, or a broadcast's recipients), and pass every other id on to it.
export const handlers = [
  ...sessionHandlers,
  ...accountHandlers,
  ...healthHandlers,
  ...incidentHandlers,
  ...connectionHandlers,
  ...userHandlers,
  ...operationHandlers,
  ...composeHandlers,
  ...broadcastHandlers,
  ...resendBatchHandlers,
  ...operationDetailHandlers,
  ...sendHandlers,
  ...webhookSubscriptionHandlers,
  ...demoHandlers,
];
