import type { AssetKind, DirectoryAsset, DirectoryConnection, DirectoryUser, UserRole } from '../../contracts/directory-schemas.ts';
import type { CatenaClient } from '../catena/catena-client.ts';
import type { CatenaTrailer, CatenaUser, CatenaVehicle } from '../catena/catena-schemas.ts';
import { messageTextMax } from './tsp-limits.ts';

type Cached<T> = { value: T; fetchedAt: number };

/**
 * Connections (named after their fleets) and users, read through from Catena and kept for a short
 * while, so many browsers polling cost Catena one request per minute. When Catena cannot be
 * reached, the last known answer is served rather than an error; /api/health tells that Catena
 * is unreachable.
 */
export class DirectoryService {
  private connections: Cached<DirectoryConnection[]> | null = null;
  private readonly users = new Map<string, Cached<DirectoryUser[]>>();
  private readonly assets = new Map<string, Cached<DirectoryAsset[]>>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private warmedAllAt = 0;

  constructor(
    private readonly catena: CatenaClient,
    private readonly ttlMs: number,
    /** Told the names of every user, vehicle and trailer read from Catena (the store indexes them for search). */
    private readonly onNames: (
      names: { id: string; kind: 'user' | AssetKind; connection_id: string; name: string }[],
    ) => Promise<void> = async () => {},
  ) {}

  async listConnections(): Promise<DirectoryConnection[]> {
    this.connections = await this.readThrough('connections', this.connections, async () => {
      const [connections, fleets] = await Promise.all([this.catena.listConnections(), this.catena.listFleets()]);
      const fleetById = new Map(fleets.map((fleet) => [fleet.id, fleet]));
      return connections
        .map((connection): DirectoryConnection => {
          const fleet = connection.fleet_id ? fleetById.get(connection.fleet_id) : undefined;
          return {
            id: connection.id,
            name: fleet?.display_name || fleet?.name || connection.description || `Connection ${connection.id.slice(0, 8)}`,
            fleet_id: connection.fleet_id,
            fleet_ref: connection.fleet_ref ?? fleet?.fleet_ref ?? null,
            tsp: connection.source_name,
            status: connection.status,
            description: connection.description,
            can_send: connection.status === 'active',
            inactive_reason: connection.status === 'active' ? null : inactiveReason(connection.status),
            limits: { message_text_max: messageTextMax(connection.source_name) },
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name) || a.tsp.localeCompare(b.tsp));
    });
    return this.connections.value;
  }

  async getConnection(id: string): Promise<DirectoryConnection | null> {
    return (await this.listConnections()).find((c) => c.id === id.toLowerCase()) ?? null;
  }

  /** The connection's TSP if the directory has seen it; never calls Catena. */
  sourceNameOf(connectionId: string): string | null {
    return this.connections?.value.find((c) => c.id === connectionId.toLowerCase())?.tsp ?? null;
  }

  /** Drops every cached answer, e.g. after a demo reset put the simulator's fleets back to their seed. */
  forget(): void {
    this.connections = null;
    this.users.clear();
    this.assets.clear();
    this.warmedAllAt = 0;
  }

  private remember(key: string, fresh: Cached<unknown>): void {
    if (key === 'connections') this.connections = fresh as Cached<DirectoryConnection[]>;
    else if (key.startsWith('users:')) this.users.set(key.slice('users:'.length), fresh as Cached<DirectoryUser[]>);
  }

  async listUsers(connectionId: string): Promise<DirectoryUser[]> {
    const key = connectionId.toLowerCase();
    const cached = await this.readThrough(`users:${key}`, this.users.get(key) ?? null, async () => {
      const users = (await this.catena.listUsers(key)).map(toDirectoryUser).sort((a, b) => a.name.localeCompare(b.name));
      // Names are only for search: a store that cannot take them now does not fail the directory read.
      await this.onNames(users.map((u) => ({ id: u.id, kind: 'user' as const, connection_id: u.connection_id, name: u.name }))).catch(
        () => undefined,
      );
      return users;
    });
    this.users.set(key, cached);
    return cached.value;
  }

  async listAssets(kind: AssetKind, connectionId: string): Promise<DirectoryAsset[]> {
    const key = `${kind}:${connectionId.toLowerCase()}`;
    const cached = await this.readThrough(key, this.assets.get(key) ?? null, async () => {
      const records =
        kind === 'vehicle' ? await this.catena.listVehicles(connectionId.toLowerCase()) : await this.catena.listTrailers(connectionId.toLowerCase());
      const assets = records.map((record) => toDirectoryAsset(kind, record)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
      await this.onNames(assets.map((a) => ({ id: a.id, kind, connection_id: a.connection_id, name: a.name }))).catch(() => undefined);
      return assets;
    });
    this.assets.set(key, cached);
    return cached.value;
  }

  /**
   * Reads (through the cache) every user, vehicle and trailer of these connections, or of all, so
   * their names are known to the store before a search by name. Failures leave the names as they were.
   */
  async warmNames(connectionIds?: readonly string[]): Promise<void> {
    // At most once per cache period for "every connection", whatever the outcome: a search must not wait on Catena each time it is down.
    if (!connectionIds) {
      if (Date.now() - this.warmedAllAt < this.ttlMs) return;
      this.warmedAllAt = Date.now();
    }
    const ids = connectionIds ?? (await this.listConnections().catch(() => [])).map((c) => c.id);
    await Promise.allSettled(ids.flatMap((id) => [this.listUsers(id), this.listAssets('vehicle', id), this.listAssets('trailer', id)]));
  }

  private async readThrough<T>(key: string, cached: Cached<T> | null, load: () => Promise<T>): Promise<Cached<T>> {
    if (cached && Date.now() - cached.fetchedAt < this.ttlMs) return cached;
    let pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = load().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    if (cached) {
      // Stale: answer with what is known now and refresh behind it, so a slow Catena never
      // holds a send up on the directory. The next read gets the fresh answer.
      pending.then((value) => this.remember(key, { value, fetchedAt: Date.now() })).catch(() => undefined);
      return cached;
    }
    try {
      return { value: await pending, fetchedAt: Date.now() };
    } catch (error) {
      if (cached) return cached;
      throw error;
    }
  }
}

function toDirectoryUser(user: CatenaUser): DirectoryUser {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || `User ${user.id.slice(0, 8)}`;
  return {
    id: user.id.toLowerCase(),
    connection_id: user.connection_id.toLowerCase(),
    name,
    first_name: user.first_name,
    last_name: user.last_name,
    username: user.username,
    role: roleOf(user),
    is_active: user.is_active ?? (user.status ? user.status.toUpperCase() === 'ACTIVE' : true),
  };
}

function toDirectoryAsset(kind: AssetKind, record: CatenaVehicle | CatenaTrailer): DirectoryAsset {
  const name = ('vehicle_name' in record ? record.vehicle_name : 'trailer_name' in record ? record.trailer_name : null) as string | null;
  return {
    id: record.id.toLowerCase(),
    connection_id: record.connection_id.toLowerCase(),
    kind,
    name: name || record.license_plate_number || `${kind === 'vehicle' ? 'Vehicle' : 'Trailer'} ${record.id.slice(0, 8)}`,
    source_id: record.source_id,
    vin: record.vin,
    license_plate_number: record.license_plate_number,
    status: record.status,
    is_active: record.is_active,
  };
}

/** Catena has no role field: drivers carry `is_driver`; dispatchers are named so in `user_designation`. */
function roleOf(user: CatenaUser): UserRole {
  if (user.is_driver) return 'driver';
  if (user.user_designation && /dispatch/i.test(user.user_designation)) return 'dispatcher';
  return 'other';
}

/** Catena's connection statuses other than `active`, in words a dispatcher can act on. */
function inactiveReason(status: string): string {
  switch (status) {
    case 'paused':
      return 'The fleet paused this connection; nothing can be sent through it until they resume it.';
    case 'stale':
      return 'Catena has not been able to reach this TSP for a while; the fleet may need to re-authorise it.';
    case 'failed':
      return 'The connection failed at the TSP; the fleet must re-authorise it.';
    case 'cancelled':
      return 'The fleet cancelled this connection.';
    case 'deleted':
      return 'This connection was deleted.';
    default:
      return `The connection is ${status}.`;
  }
}
