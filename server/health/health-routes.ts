import type { FastifyInstance } from 'fastify';
import type { Health } from '../../contracts/health-schemas.ts';
import type { RefusedOperations } from '../operations/refused-operations.ts';
import type { UpstreamStatus } from './upstream-status.ts';

export function registerHealthRoutes(app: FastifyInstance, status: UpstreamStatus, refused: RefusedOperations): void {
  // For load balancers and start-up scripts: answers without a session and says nothing else.
  app.get('/api/health/live', { config: { access: 'public' } }, async () => ({ ok: true }));

  app.get('/api/health', { config: { access: 'view' } }, async (request): Promise<Health> => {
    const snapshot = await status.snapshot();
    return {
      // The console itself answers; `ok` says whether it can also do its job (reach Catena).
      ok: snapshot.reachable,
      upstream: { reachable: snapshot.reachable, last_success_at: snapshot.last_success_at, last_error: snapshot.last_error },
      webhooks: { last_received_at: snapshot.last_webhook_at },
      // Operations from Catena the console could never store: for admins, who can take it up with Catena.
      ...(request.user?.role === 'admin' ? { refused_operations: await refused.snapshot() } : {}),
    };
  });
}
