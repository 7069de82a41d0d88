import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditQuerySchema, createAccountRequestSchema, updateAccountRequestSchema } from '../../contracts/access-schemas.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { parseInput } from '../http/http-error.ts';
import type { AccountStore } from './account-store.ts';

/** Accounts and the audit log: admins only. */
export function registerAccountRoutes(app: FastifyInstance, deps: { accounts: AccountStore; audit: AuditLog }): void {
  const admin = { config: { access: 'admin' as const } };

  app.get('/api/accounts', admin, async () => ({ items: await deps.accounts.list() }));

  app.post('/api/accounts', admin, async (request, reply) => {
    const body = parseInput(createAccountRequestSchema, request.body, 'account');
    const account = await deps.accounts.create(body);
    await deps.audit.record({
      actor: request.user,
      action: 'account_created',
      target: account.email,
      details: { role: account.role },
      ip: request.ip,
    });
    return reply.status(201).send(account);
  });

  app.patch('/api/accounts/:id', admin, async (request) => {
    const { id } = parseInput(z.object({ id: z.string().uuid() }), request.params, 'account id');
    const change = parseInput(updateAccountRequestSchema, request.body, 'account change');
    // Refused with 404 or 409 (`last_admin`) by the store, which checks it as it writes.
    const account = await deps.accounts.update(id, change);
    await deps.audit.record({
      actor: request.user,
      action: 'account_updated',
      target: account.email,
      // What changed, never the password itself.
      details: {
        ...(change.role ? { role: change.role } : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
        ...(change.password ? { password: 'changed' } : {}),
        ...(change.name ? { name: change.name } : {}),
      },
      ip: request.ip,
    });
    return account;
  });

  app.get('/api/audit', admin, async (request) => deps.audit.list(parseInput(auditQuerySchema, request.query ?? {}, 'audit query')));
}
