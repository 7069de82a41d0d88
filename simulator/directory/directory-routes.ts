import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../http/catena-errors.ts';
import { compareKeys, paginate, type SortKey } from '../http/cursor-page.ts';
import { queryBool, queryEnum, queryGuid, queryInt, queryList, queryString } from '../http/query-params.ts';
import { parseInput } from '../http/request-validation.ts';
import { isoTime } from '../lib/time.ts';
import { fieldsOf } from '../writes/write-schemas.ts';
import type { AssetKind, AssetRecord, Directory, UserRecord } from './directory-store.ts';
import { toAssetRead, toConnectionRead, toFleetRead, toUserRead } from './directory-views.ts';

/** Read-only directory endpoints: connections (integrations), fleets (orgs), users (telematics). */

const size = () => queryInt(1, 1000, 300);

const connectionListQuery = z.object({
  tsp_id: queryGuid(),
  fleet_ids: queryList(z.guid()),
  fleet_refs: queryList(z.string()),
  cursor: queryString(),
  size: size(),
});

const fleetListQuery = z.object({ fleet_refs: queryList(z.string()), cursor: queryString(), size: size() });

const USER_SORT_FIELDS = ['created_at', 'updated_at', 'occurred_at', 'first_name', 'last_name', 'username', 'source_id'] as const;

const userListQuery = z.object({
  connection_id: queryGuid(),
  is_driver: queryBool(),
  user_ids: queryList(z.guid()),
  source_ids: queryList(z.string()),
  fleet_ids: queryList(z.guid()),
  fleet_refs: queryList(z.string()),
  include_source_data: queryBool(),
  sort_by: queryEnum(USER_SORT_FIELDS),
  sort_order: queryEnum(['asc', 'desc']),
  cursor: queryString(),
  size: size(),
});

const ASSET_SORT_FIELDS = ['created_at', 'updated_at', 'source_id'] as const;
const assetListQuery = z.object({
  connection_id: queryGuid(),
  fleet_ids: queryList(z.guid()),
  fleet_refs: queryList(z.string()),
  ids: queryList(z.guid()),
  source_ids: queryList(z.string()),
  include_source_data: queryBool(),
  sort_by: queryEnum(ASSET_SORT_FIELDS),
  sort_order: queryEnum(['asc', 'desc']),
  cursor: queryString(),
  size: size(),
});
const assetParams = z.object({ id: z.guid() });

const includeQuery = z.object({ include_source_data: queryBool() });
const connectionParams = z.object({ connection_id: z.guid() });
const fleetParams = z.object({ fleet_id: z.guid() });
const userParams = z.object({ user_id: z.guid() });

const byCreated = <T extends { created_at: number; id: string }>(item: T): SortKey => [isoTime(item.created_at), item.id];
const sortBy = <T>(items: T[], key: (item: T) => SortKey, direction = 1): T[] => items.sort((a, b) => direction * compareKeys(key(a), key(b)));

function userSortValue(user: UserRecord, field: (typeof USER_SORT_FIELDS)[number]): string {
  switch (field) {
    case 'created_at':
      return isoTime(user.created_at);
    case 'updated_at':
    case 'occurred_at':
      return isoTime(user.updated_at);
    default:
      return user[field];
  }
}

export function registerDirectoryRoutes(app: FastifyInstance, directory: Directory): void {
  const lower = (values: string[] | undefined) => (values ? new Set(values.map((v) => v.toLowerCase())) : undefined);

  app.get('/v2/integrations/connections', async (request) => {
    const query = parseInput(connectionListQuery, request.query, 'query');
    const fleetIds = lower(query.fleet_ids);
    const refs = query.fleet_refs ? new Set(query.fleet_refs) : undefined;
    const items = directory.connections.filter((c) => {
      const fleet = directory.fleetOf(c);
      return (
        (query.tsp_id === undefined || c.tsp_id === query.tsp_id.toLowerCase()) &&
        (fleetIds === undefined || fleetIds.has(c.fleet_id)) &&
        (refs === undefined || refs.has(fleet.fleet_ref))
      );
    });
    const page = paginate(sortBy(items, byCreated), byCreated, query.cursor, query.size);
    return { ...page, items: page.items.map((c) => toConnectionRead(c, directory.fleetOf(c))) };
  });

  app.get('/v2/integrations/connections/:connection_id', async (request) => {
    const { connection_id } = parseInput(connectionParams, request.params, 'path');
    const connection = directory.connection(connection_id);
    if (!connection) throw notFound(`Connection ${connection_id} not found`);
    return toConnectionRead(connection, directory.fleetOf(connection));
  });

  app.get('/v2/orgs/fleets', async (request) => {
    const query = parseInput(fleetListQuery, request.query, 'query');
    const refs = query.fleet_refs ? new Set(query.fleet_refs) : undefined;
    const items = directory.fleets.filter((f) => refs === undefined || refs.has(f.fleet_ref));
    const page = paginate(sortBy([...items], byCreated), byCreated, query.cursor, query.size);
    // The orgs API's fleet page (and only it) also carries `total`.
    return { ...page, items: page.items.map(toFleetRead), total: items.length };
  });

  app.get('/v2/orgs/fleets/:fleet_id', async (request) => {
    const { fleet_id } = parseInput(fleetParams, request.params, 'path');
    const fleet = directory.fleet(fleet_id);
    if (!fleet) throw notFound(`Fleet ${fleet_id} not found`);
    return toFleetRead(fleet);
  });

  app.get('/v2/telematics/users', async (request) => {
    const query = parseInput(userListQuery, request.query, 'query');
    const userIds = lower(query.user_ids);
    const fleetIds = lower(query.fleet_ids);
    const sourceIds = query.source_ids ? new Set(query.source_ids) : undefined;
    const refs = query.fleet_refs ? new Set(query.fleet_refs) : undefined;
    const connectionId = query.connection_id?.toLowerCase();
    const items = directory.users.filter((u) => {
      const connection = directory.connection(u.connection_id);
      const fleet = connection ? directory.fleetOf(connection) : undefined;
      return (
        (connectionId === undefined || u.connection_id === connectionId) &&
        (query.is_driver === undefined || u.is_driver === query.is_driver) &&
        (userIds === undefined || userIds.has(u.id)) &&
        (sourceIds === undefined || sourceIds.has(u.source_id)) &&
        (fleetIds === undefined || fleetIds.has(u.fleet_id)) &&
        (refs === undefined || (fleet !== undefined && refs.has(fleet.fleet_ref)))
      );
    });
    const field = query.sort_by ?? 'created_at';
    const direction = query.sort_order === 'desc' ? -1 : 1;
    const key = (u: UserRecord): SortKey => [userSortValue(u, field), u.id];
    const compare = (a: SortKey, b: SortKey) => direction * compareKeys(a, b);
    const page = paginate(sortBy([...items], key, direction), key, query.cursor, query.size, compare);
    return {
      ...page,
      items: page.items.map((u) => {
        const connection = directory.connection(u.connection_id);
        if (!connection) throw new Error(`seed error: user ${u.id} without connection`);
        return toUserRead(u, connection, directory.fleetOf(connection), query.include_source_data ?? false);
      }),
    };
  });

  app.get('/v2/telematics/users/:user_id', async (request) => {
    const { user_id } = parseInput(userParams, request.params, 'path');
    const { include_source_data } = parseInput(includeQuery, request.query, 'query');
    const user = directory.user(user_id);
    const connection = user ? directory.connection(user.connection_id) : undefined;
    if (!user || !connection) throw notFound(`User ${user_id} not found`);
    return toUserRead(user, connection, directory.fleetOf(connection), include_source_data ?? false);
  });
}

const ASSET_FIELDS: Record<AssetKind, string[]> = { vehicle: fieldsOf('VehicleCreate'), trailer: fieldsOf('TrailerCreate') };

/** GET /v2/telematics/vehicles|trailers (list, like users) and …/{id}. */
export function registerAssetRoutes(app: FastifyInstance, directory: Directory): void {
  const read = (asset: AssetRecord, includeSourceData: boolean) => {
    const connection = directory.connection(asset.connection_id);
    if (!connection) throw new Error(`seed error: ${asset.kind} ${asset.id} without connection`);
    return toAssetRead(asset, ASSET_FIELDS[asset.kind], connection, directory.fleetOf(connection), includeSourceData);
  };
  for (const kind of ['vehicle', 'trailer'] as const) {
    const plural = `${kind}s`;
    app.get(`/v2/telematics/${plural}`, async (request) => {
      const query = parseInput(assetListQuery, request.query, 'query');
      const lower = (values: string[] | undefined) => (values ? new Set(values.map((v) => v.toLowerCase())) : undefined);
      const ids = lower(query.ids);
      const fleetIds = lower(query.fleet_ids);
      const sourceIds = query.source_ids ? new Set(query.source_ids) : undefined;
      const refs = query.fleet_refs ? new Set(query.fleet_refs) : undefined;
      const connectionId = query.connection_id?.toLowerCase();
      const items = directory.assets(kind).filter((a) => {
        const fleet = directory.fleet(a.fleet_id);
        return (
          (connectionId === undefined || a.connection_id === connectionId) &&
          (ids === undefined || ids.has(a.id)) &&
          (sourceIds === undefined || sourceIds.has(a.source_id)) &&
          (fleetIds === undefined || fleetIds.has(a.fleet_id)) &&
          (refs === undefined || (fleet !== undefined && refs.has(fleet.fleet_ref)))
        );
      });
      const field = query.sort_by ?? 'created_at';
      const direction = query.sort_order === 'desc' ? -1 : 1;
      const key = (a: AssetRecord): SortKey => [
        field === 'source_id' ? a.source_id : isoTime(field === 'created_at' ? a.created_at : a.updated_at),
        a.id,
      ];
      const compare = (a: SortKey, b: SortKey) => direction * compareKeys(a, b);
      const page = paginate(sortBy(items, key, direction), key, query.cursor, query.size, compare);
      return { ...page, items: page.items.map((a) => read(a, query.include_source_data ?? false)) };
    });

    app.get(`/v2/telematics/${plural}/:id`, async (request) => {
      const { id } = parseInput(assetParams, request.params, 'path');
      const { include_source_data } = parseInput(includeQuery, request.query, 'query');
      const asset = directory.asset(kind, id);
      if (!asset) throw notFound(`${kind === 'vehicle' ? 'Vehicle' : 'Trailer'} ${id} not found`);
      return read(asset, include_source_data ?? false);
    });
  }
}
