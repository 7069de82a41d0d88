import type { FastifyInstance } from 'fastify';
import { assetQuerySchema, userQuerySchema } from '../../contracts/directory-schemas.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { Connection, DirectoryConnection } from '../../contracts/directory-schemas.ts';
import type { DirectoryService } from './directory-service.ts';

export function registerDirectoryRoutes(
  app: FastifyInstance,
  directory: DirectoryService,
  /** Each connection with its health (server/connection-health/), told from the console's own store. */
  withHealth: (connections: readonly DirectoryConnection[]) => Promise<Connection[]>,
): void {
  app.get('/api/connections', { config: { access: 'view' } }, async () => ({ items: await withHealth(await directory.listConnections()) }));

  app.get('/api/users', { config: { access: 'view' } }, async (request) => {
    const query = parseInput(userQuerySchema, request.query ?? {}, 'user search');
    const connections = await directory.listConnections();
    const connectionId = query.connection_id?.toLowerCase();
    if (connectionId && !connections.some((c) => c.id === connectionId)) {
      throw new HttpError(404, 'connection_not_found', `No connection ${connectionId} is visible to this console.`);
    }
    const connectionIds = connectionId ? [connectionId] : connections.map((c) => c.id);
    const lists = await Promise.all(connectionIds.map((id) => directory.listUsers(id)));
    const words = query.q?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
    const items = lists
      .flat()
      .filter((user) => !query.role || user.role === query.role)
      .filter((user) => words.every((word) => `${user.name} ${user.username ?? ''}`.toLowerCase().includes(word)));
    return { items };
  });

  for (const kind of ['vehicle', 'trailer'] as const) {
    app.get(`/api/${kind}s`, { config: { access: 'view' } }, async (request) => {
      const query = parseInput(assetQuerySchema, request.query ?? {}, `${kind} search`);
      const connections = await directory.listConnections();
      const connectionId = query.connection_id?.toLowerCase();
      if (connectionId && !connections.some((c) => c.id === connectionId)) {
        throw new HttpError(404, 'connection_not_found', `No connection ${connectionId} is visible to this console.`);
      }
      const ids = connectionId ? [connectionId] : connections.map((c) => c.id);
      return { items: (await Promise.all(ids.map((id) => directory.listAssets(kind, id)))).flat() };
    });
  }
}
