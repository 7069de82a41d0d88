import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { incidentListQuerySchema, type Incident } from '../../contracts/incident-schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { idempotencyKeyOf } from '../messages/idempotency-keys.ts';
import type { IncidentStore } from './incident-store.ts';

type Deps = { incidents: IncidentStore; audit: AuditLog };

const idParams = z.object({ id: z.uuid({ error: 'an incident id (a UUID)' }) });

/** Provider incidents: what the banner polls, one incident's details, and arming its resend. */
export function registerIncidentRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/api/incidents', { config: { access: 'view' } }, async (request) => {
    const query = parseInput(incidentListQuerySchema, request.query ?? {}, 'incident list request');
    return { items: await deps.incidents.list(query) };
  });

  app.get('/api/incidents/:id', { config: { access: 'view' } }, async (request) => {
    return incidentOrThrow(deps, parseInput(idParams, request.params, 'incident id').id);
  });

  /**
   * "Resend these when the TSP recovers": recorded now, made into a bulk resend by the leader once
   * the incident has closed (at once, if it already has). Arming twice is arming once, so a double
   * click or a retried request (with or without its Idempotency-Key) changes nothing.
   */
  app.post('/api/incidents/:id/armed-resend', { config: { access: 'resend' } }, async (request, reply) => {
    const { id } = parseInput(idParams, request.params, 'incident id');
    // Checked like every write's key; arming needs no claim, as a repeat arms nothing new.
    idempotencyKeyOf(request);
    const before = await incidentOrThrow(deps, id);
    if (before.failed_count === 0) throw new HttpError(409, 'nothing_to_resend', 'This incident holds no failed writes to resend.');
    const armed = await deps.incidents.arm(
      before.id,
      request.user ? { id: request.user.id, name: request.user.name, email: request.user.email } : null,
    );
    if (armed) {
      await deps.audit.record({
        actor: request.user,
        action: 'incident_resend_armed',
        target: before.id,
        details: { tsp: before.tsp, failed_count: before.failed_count, closed: before.closed_at !== null },
        ip: request.ip,
      });
    }
    return reply.status(armed ? 202 : 200).send(await incidentOrThrow(deps, id));
  });
}

async function incidentOrThrow(deps: Deps, id: string): Promise<Incident> {
  const incident = await deps.incidents.get(id);
  if (!incident) throw new HttpError(404, 'incident_not_found', `No provider incident ${id} is known to the console.`);
  return incident;
}
