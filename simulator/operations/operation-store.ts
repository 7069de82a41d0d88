import { compareKeys, type SortKey } from '../http/cursor-page.ts';
import { isoTime } from '../lib/time.ts';

export type OperationStatus = 'pending' | 'success' | 'failed';
export type ErrorType = 'auth' | 'validation' | 'network' | 'tsp';

export interface OperationLogRecord {
  id: string;
  created_at: number;
  updated_at: number;
  status: 'success' | 'failed';
  error_type: ErrorType | null;
  error_details: string | null;
  response_status_code: number | null;
  response_headers: Record<string, string> | null;
}

export interface OperationRecord {
  id: string;
  partner_id: string;
  connection_id: string;
  fleet_id: string;
  fleet_ref: string | null;
  source_name: string;
  resource: string;
  operation_type: 'create' | 'update';
  status: OperationStatus;
  payload: Record<string, unknown>;
  resource_id: string | null;
  source_id: string | null;
  created_at: number;
  updated_at: number;
  logs: OperationLogRecord[];
  /** How it came to be; not on the wire. Seeded history never fires webhooks. */
  origin: 'async' | 'sync' | 'seed';
}

export interface OperationFilter {
  resource?: string | undefined;
  connection_id?: string | undefined;
  source_name?: string | undefined;
  fleet_refs?: readonly string[] | undefined;
  operation?: string | undefined;
  source_id?: string | undefined;
  /** created_at >= from */
  from: number;
  /** created_at < to */
  to: number;
}

/** The list order Catena leaves undocumented; ours is ascending created_at, then id (REFERENCE §10). */
export function operationSortKey(op: OperationRecord): SortKey {
  return [isoTime(op.created_at), op.id];
}

export class OperationStore {
  private readonly byId = new Map<string, OperationRecord>();

  constructor(initial: readonly OperationRecord[] = []) {
    for (const op of initial) this.byId.set(op.id, op);
  }

  add(op: OperationRecord): void {
    this.byId.set(op.id, op);
  }

  get(id: string): OperationRecord | undefined {
    return this.byId.get(id.toLowerCase());
  }

  all(): OperationRecord[] {
    return [...this.byId.values()];
  }

  replaceAll(ops: readonly OperationRecord[]): void {
    this.byId.clear();
    for (const op of ops) this.byId.set(op.id, op);
  }

  /** The resource id a successful message create got: used to resolve `reply_to_message_id`. */
  findByResourceId(resourceId: string): OperationRecord | undefined {
    const wanted = resourceId.toLowerCase();
    for (const op of this.byId.values()) if (op.resource_id === wanted) return op;
    return undefined;
  }

  list(filter: OperationFilter): OperationRecord[] {
    const refs = filter.fleet_refs && filter.fleet_refs.length > 0 ? new Set(filter.fleet_refs) : undefined;
    const connectionId = filter.connection_id?.toLowerCase();
    return this.all()
      .filter(
        (op) =>
          op.created_at >= filter.from &&
          op.created_at < filter.to &&
          (filter.resource === undefined || op.resource === filter.resource) &&
          (connectionId === undefined || op.connection_id === connectionId) &&
          (filter.source_name === undefined || op.source_name === filter.source_name) &&
          (refs === undefined || (op.fleet_ref !== null && refs.has(op.fleet_ref))) &&
          (filter.operation === undefined || op.operation_type === filter.operation) &&
          (filter.source_id === undefined || op.source_id === filter.source_id),
      )
      .sort((a, b) => compareKeys(operationSortKey(a), operationSortKey(b)));
  }
}
