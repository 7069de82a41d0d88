import type { TspName } from '../processing/tsp-profiles.ts';

/** The seeded, read-only world: fleets, their connections to TSPs, and the users of each connection. */

export interface FleetRecord {
  id: string;
  name: string;
  display_name: string;
  legal_name: string;
  dba_name: string | null;
  description: string;
  fleet_ref: string;
  websites: string[];
  regulatory_id: string;
  regulatory_id_type: string;
  regulatory_id_date: string;
  regulatory_id_status: string;
  registered_email: string;
  registered_phone: string;
  address: string;
  city: string;
  province: string;
  postal_code: string;
  country_code: string;
  created_at: number;
  updated_at: number;
}

export type ConnectionStatus = 'active' | 'failed' | 'cancelled' | 'paused' | 'stale' | 'deleted';

export interface ConnectionRecord {
  id: string;
  fleet_id: string;
  tsp: TspName;
  tsp_id: string;
  status: ConnectionStatus;
  description: string;
  /** Already masked, in the TSP's `*Creds-Output` shape: Catena never returns secrets. */
  credentials: Record<string, string | null>;
  created_at: number;
  updated_at: number;
}

export interface UserRecord {
  id: string;
  connection_id: string;
  fleet_id: string;
  source_id: string;
  first_name: string;
  last_name: string;
  username: string;
  user_email: string | null;
  phone_number: string;
  is_driver: boolean;
  is_active: boolean;
  employee_number: string;
  license_number: string | null;
  license_region: string | null;
  license_expiration: string | null;
  started_at: number;
  last_tsp_login: number | null;
  notes: string | null;
  created_at: number;
  updated_at: number;
  /** The user as the TSP's own API describes it. */
  source_data: Record<string, unknown>;
}

export type AssetKind = 'vehicle' | 'trailer';
export type AttributeValue = string | number | boolean | string[] | null;

/**
 * A vehicle or a trailer: Catena's record ids and timestamps, and the attributes its create/update
 * bodies name (VehicleCreate / TrailerCreate fields), as the TSP holds them.
 */
export interface AssetRecord {
  kind: AssetKind;
  id: string;
  connection_id: string;
  fleet_id: string;
  source_id: string;
  created_at: number;
  updated_at: number;
  attributes: Record<string, AttributeValue>;
}

/**
 * Fleets and connections are fixed; users, vehicles and trailers change when a write succeeds
 * (a create adds one, an update changes it). `reset()` goes back to the seeded records.
 */
export class Directory {
  private readonly fleetById: Map<string, FleetRecord>;
  private readonly connectionById: Map<string, ConnectionRecord>;
  private userById = new Map<string, UserRecord>();
  private assetById = new Map<string, AssetRecord>();

  constructor(
    readonly fleets: readonly FleetRecord[],
    readonly connections: readonly ConnectionRecord[],
    private readonly seedUsers: readonly UserRecord[],
    private readonly seedAssets: readonly AssetRecord[] = [],
  ) {
    this.fleetById = new Map(fleets.map((f) => [f.id, f]));
    this.connectionById = new Map(connections.map((c) => [c.id, c]));
    this.reset();
  }

  /** Back to the seeded users, vehicles and trailers (copies: the seed itself never changes). */
  reset(): void {
    this.userById = new Map(this.seedUsers.map((u) => [u.id, structuredClone(u)]));
    this.assetById = new Map(this.seedAssets.map((a) => [a.id, structuredClone(a)]));
  }

  get users(): UserRecord[] {
    return [...this.userById.values()];
  }

  addUser(user: UserRecord): void {
    this.userById.set(user.id, user);
  }

  assets(kind: AssetKind): AssetRecord[] {
    return [...this.assetById.values()].filter((a) => a.kind === kind);
  }

  asset(kind: AssetKind, id: string): AssetRecord | undefined {
    const found = this.assetById.get(id.toLowerCase());
    return found?.kind === kind ? found : undefined;
  }

  assetOfConnection(kind: AssetKind, id: string, connectionId: string): AssetRecord | undefined {
    const found = this.asset(kind, id);
    return found && found.connection_id === connectionId ? found : undefined;
  }

  addAsset(asset: AssetRecord): void {
    this.assetById.set(asset.id, asset);
  }

  fleet(id: string): FleetRecord | undefined {
    return this.fleetById.get(id.toLowerCase());
  }

  connection(id: string): ConnectionRecord | undefined {
    return this.connectionById.get(id.toLowerCase());
  }

  user(id: string): UserRecord | undefined {
    return this.userById.get(id.toLowerCase());
  }

  /** The user only if it belongs to that connection: Catena resolves ids per connection. */
  userOfConnection(userId: string, connectionId: string): UserRecord | undefined {
    const user = this.user(userId);
    return user && user.connection_id === connectionId ? user : undefined;
  }

  fleetOf(connection: ConnectionRecord): FleetRecord {
    const fleet = this.fleetById.get(connection.fleet_id);
    if (!fleet) throw new Error(`seed error: connection ${connection.id} has no fleet`);
    return fleet;
  }

  usersOf(connectionId: string): UserRecord[] {
    return this.users.filter((u) => u.connection_id === connectionId);
  }

  assetsOf(kind: AssetKind, connectionId: string): AssetRecord[] {
    return this.assets(kind).filter((a) => a.connection_id === connectionId);
  }
}
