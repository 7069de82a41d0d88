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

export class Directory {
  private readonly fleetById: Map<string, FleetRecord>;
  private readonly connectionById: Map<string, ConnectionRecord>;
  private readonly userById: Map<string, UserRecord>;

  constructor(
    readonly fleets: readonly FleetRecord[],
    readonly connections: readonly ConnectionRecord[],
    readonly users: readonly UserRecord[],
  ) {
    this.fleetById = new Map(fleets.map((f) => [f.id, f]));
    this.connectionById = new Map(connections.map((c) => [c.id, c]));
    this.userById = new Map(users.map((u) => [u.id, u]));
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
}
