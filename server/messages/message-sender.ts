import { createHash } from 'node:crypto';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import type { SendMessageRequest } from '../../contracts/message-schemas.ts';
import type { CatenaClient } from '../catena/catena-client.ts';
import { CatenaError } from '../catena/catena-error.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { HttpError } from '../http/http-error.ts';
import { toOperationRecord } from '../operations/operation-record.ts';
import type { OperationOrigin, OperationsStore } from '../operations/operations-store.ts';
import type { IdempotencyStore } from './idempotency-store.ts';

export type SendResult = { status: number; operation: OperationDetail; replayed: boolean };

type Deps = {
  catena: CatenaClient;
  store: OperationsStore;
  directory: DirectoryService;
  idempotency: IdempotencyStore;
};

/**
 * Sends one message through Catena, at most once per idempotency key, and stores the operation
 * Catena answers with at once so the SPA can follow it before any webhook arrives.
 * Every way of sending (compose, resend, broadcasts) goes through here.
 */
export class MessageSender {
  constructor(private readonly deps: Deps) {}

  async send(
    message: SendMessageRequest,
    options: {
      idempotencyKey: string | null;
      scope: string;
      intent?: unknown;
      resendOf?: string;
      origin?: OperationOrigin;
      /** Checks to pass before sending; a replay of an answered key skips them (the answer stands). */
      check?: () => Promise<unknown>;
    },
  ): Promise<SendResult> {
    const { idempotency } = this.deps;
    const key = options.idempotencyKey;
    if (key) {
      const requestHash = createHash('sha256').update(JSON.stringify(options.intent ?? message)).digest('hex');
      const claim = idempotency.claimOrThrow(options.scope, key, requestHash);
      if (claim.kind === 'replay') {
        const stored = this.deps.store.get(claim.operationId ?? '');
        return { status: claim.statusCode, operation: stored ?? operationDetailSchema.parse(claim.response), replayed: true };
      }
    }

    const { is_sync: isSync = false, ...body } = message;
    try {
      await options.check?.();
      // Warms the directory so the stored operation knows its TSP even when Catena's answer omits it.
      await this.deps.directory.listConnections().catch(() => []);
      const { status, operation } = await this.deps.catena.createMessage(body, isSync);
      const record = toOperationRecord(operation, this.deps.directory.sourceNameOf(operation.connection_id));
      this.deps.store.upsert(record, 'console');
      if (options.resendOf) this.deps.store.linkResend(record.id, options.resendOf);
      if (options.origin) this.deps.store.recordOrigin(record.id, options.origin);
      // A webhook may already have stored a newer state; answer with what the store holds.
      const stored = this.deps.store.get(record.id);
      if (!stored) throw new Error(`operation ${record.id} vanished from the store`);
      if (key) idempotency.complete(options.scope, key, status, stored, stored.id);
      return { status, operation: stored, replayed: false };
    } catch (error) {
      // No operation was created, or none that the console could read: the same key may try again.
      if (key) idempotency.release(options.scope, key);
      throw upstreamMessageError(error);
    }
  }
}

function upstreamMessageError(error: unknown): unknown {
  if (!(error instanceof CatenaError) || error.kind !== 'http') return error;
  if (error.status === 404) {
    return new HttpError(404, 'connection_not_found', 'Catena does not know this connection (or it is not shared with this partner).', error.detail ?? undefined);
  }
  if (error.status === 422 || error.status === 400) {
    return new HttpError(422, 'rejected_by_catena', `Catena refused the message: ${error.message}`, error.detail ?? undefined);
  }
  return error;
}
