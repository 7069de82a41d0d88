import type { Directory } from '../directory/directory-store.ts';
import { CatenaHttpError, notFound } from '../http/catena-errors.ts';
import { newId } from '../lib/ids.ts';
import type { OperationRecord, OperationStore } from '../operations/operation-store.ts';
import { toWriteResponse } from '../operations/operation-views.ts';
import type { OperationEventName, OperationProcessor } from '../processing/operation-processor.ts';
import { isRecordKind, RECORD_NOUNS, resolvePayload, sourceIdOf, type WriteEndpoint } from './write-kinds.ts';
import type { WriteBody } from './write-schemas.ts';

export interface WriteServiceDeps {
  directory: Directory;
  operations: OperationStore;
  processor: OperationProcessor;
  partnerId: string;
  publish: (event: OperationEventName, op: OperationRecord) => void;
}

export type WriteResult = { status: 200 | 202 | 502; body: ReturnType<typeof toWriteResponse>; op: OperationRecord };

/**
 * One write, whatever the resource: the operation is recorded at once (with the TSP ids Catena
 * resolved), then processed in the background (202, webhooks) or as one attempt now (200/502, no
 * webhooks). The HTTP routes and the background "other systems" traffic both write through here.
 */
export class WriteService {
  constructor(private readonly deps: WriteServiceDeps) {}

  async submit(endpoint: WriteEndpoint, body: WriteBody, recordId: string | null, isSync: boolean): Promise<WriteResult> {
    const { directory, operations } = this.deps;
    const connection = directory.connection(body.connection_id);
    if (!connection) throw notFound(`Connection ${body.connection_id} not found`);
    const fleet = directory.fleetOf(connection);

    let resourceId: string | null = null;
    let sourceId: string | null = null;
    if (endpoint.operation_type === 'update' && isRecordKind(endpoint.resource)) {
      // The path id is Catena's record id; the record must belong to the connection the body names.
      const id = (recordId ?? '').toLowerCase();
      sourceId = sourceIdOf(directory, endpoint.resource, id, connection.id) ?? null;
      if (sourceId === null) {
        const noun = RECORD_NOUNS[endpoint.resource];
        throw notFound(`${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${id} not found on connection ${connection.id}`);
      }
      resourceId = id;
    }

    const now = Date.now();
    const op: OperationRecord = {
      id: newId(),
      partner_id: this.deps.partnerId,
      connection_id: connection.id,
      fleet_id: fleet.id,
      fleet_ref: fleet.fleet_ref,
      source_name: connection.tsp,
      resource: endpoint.resource,
      operation_type: endpoint.operation_type,
      status: 'pending',
      payload: resolvePayload(endpoint.resource, body, connection.id, this.deps),
      resource_id: resourceId,
      source_id: sourceId,
      created_at: now,
      updated_at: now,
      logs: [],
      origin: isSync ? 'sync' : 'async',
    };
    operations.add(op);

    if (isSync) {
      await this.deps.processor.runSync(op);
      if (op.status === 'pending') {
        throw new CatenaHttpError(504, 'The simulator was reset or stopped while the TSP call was in flight');
      }
      return { status: op.status === 'success' ? 200 : 502, body: toWriteResponse(op), op };
    }
    // Build the 202 body before processing starts: processing mutates the record.
    const accepted = toWriteResponse(op);
    this.deps.publish('resource_operation.created', op);
    this.deps.processor.startAsync(op);
    return { status: 202, body: accepted, op };
  }
}
