import type { FastifyBaseLogger } from 'fastify';
import { operationDetailSchema, type OperationDetail } from '../../contracts/operation-schemas.ts';
import type { SendMessageRequest } from '../../contracts/message-schemas.ts';
import { SEND_IN_DOUBT } from '../../contracts/send-schemas.ts';
import type { CatenaClient, CatenaWriteRequest } from '../catena/catena-client.ts';
import { CatenaError } from '../catena/catena-error.ts';
import type { DirectoryService } from '../directory/directory-service.ts';
import { HttpError } from '../http/http-error.ts';
import { claimKeyOrThrow, hashOfIntent } from '../messages/idempotency-keys.ts';
import type { IdempotencyStore } from '../messages/idempotency-store.ts';
import { toOperationRecord } from '../operations/operation-record.ts';
import type { OperationsStore } from '../operations/operations-store.ts';
import { ChainBusyError, newSendOfMessage, type NewSend, type Send, type SendStore } from './send-store.ts';

export type SendResult = { status: number; operation: OperationDetail; replayed: boolean };

/** What became of one delivery attempt of a recorded send. */
export type DeliveryOutcome =
  | { kind: 'sent'; status: number; operation: OperationDetail }
  /** Certainly not sent: Catena refused it, or it never reached Catena. */
  | { kind: 'refused'; error: unknown }
  /** Not taken: Catena asked to wait this long first. */
  | { kind: 'rate_limited'; retryAfterSeconds: number; error: unknown }
  /** The request left but no answer came back: maybe Catena has it. Settled later, never resent blindly. */
  | { kind: 'in_doubt'; error: unknown };

type Deps = {
  catena: CatenaClient;
  store: OperationsStore;
  directory: DirectoryService;
  idempotency: IdempotencyStore;
  sends: SendStore;
  log: FastifyBaseLogger;
  /** One deadline for a whole send: the checks, the directory and Catena's answer together. */
  timeoutMs: number;
  /** When a send in doubt will have been settled: its request can no longer land after this. */
  settlesAt: (send: Send) => string;
};

export type SendOptions = {
  idempotencyKey: string | null;
  scope: string;
  intent?: unknown;
  /** The failed operation this message resends (the newest of its chain). */
  resendOf?: string;
  account?: { id: string; name: string } | null;
  /** Checks to pass before sending; a replay of an answered key skips them (the answer stands). */
  check?: () => Promise<unknown>;
};

/**
 * Sends one message (or any other Catena write) through Catena, at most once per idempotency key
 * and at most one resend per chain at a time, and stores the operation Catena answers with at once so the SPA can follow it
 * before any webhook arrives. Every way of sending (compose, resend, broadcasts, bulk resends)
 * records a send first and goes through `deliver`.
 */
export class MessageSender {
  constructor(private readonly deps: Deps) {}

  /**
   * What an answered key replays, if it was answered (or its send settled as sent): looked at before
   * anything else, so a retried request gets its first answer even when what it asked for (a resend)
   * is no longer possible.
   */
  async replay(scope: string, key: string | null, intent: unknown): Promise<SendResult | null> {
    if (!key) return null;
    const requestHash = hashOfIntent(intent);
    const known = await this.deps.idempotency.peek(scope, key, requestHash);
    if (known?.kind === 'replay') {
      const stored = await this.deps.store.get(known.operationId ?? '');
      return { status: known.statusCode, operation: stored ?? operationDetailSchema.parse(known.response), replayed: true };
    }
    // A key whose send was in doubt: its settled outcome, or "still in doubt" — never a fresh verdict.
    if (known?.kind === 'in_flight' && known.sendId) {
      const earlier = await this.deps.sends.get(known.sendId);
      if (earlier && earlier.state !== 'not_sent' && earlier.state !== 'refused')
        return this.answerForEarlierSend(scope, key, requestHash, known.sendId);
    }
    return null;
  }

  async send(message: SendMessageRequest, options: SendOptions): Promise<SendResult> {
    return this.sendDraft(newSendOfMessage(message), { ...options, intent: options.intent ?? message });
  }

  /** Any other Catena write (a vehicle update, a DVIR log …), with the same guarantees as a message. */
  async sendWrite(
    write: { resource: string; connection_id: string; request: CatenaWriteRequest; label: string },
    options: SendOptions & { intent: unknown },
  ): Promise<SendResult> {
    return this.sendDraft(
      { resource: write.resource, request: write.request, connection_id: write.connection_id, recipient_name: write.label },
      options,
    );
  }

  private async sendDraft(draft: NewSend, options: SendOptions & { intent: unknown }): Promise<SendResult> {
    const { idempotency, sends } = this.deps;
    const key = options.idempotencyKey;
    const requestHash = hashOfIntent(options.intent);
    if (key) {
      const claim = await claimKeyOrThrow(idempotency, options.scope, key, requestHash);
      if (claim.kind === 'replay') {
        const stored = await this.deps.store.get(claim.operationId ?? '');
        return { status: claim.statusCode, operation: stored ?? operationDetailSchema.parse(claim.response), replayed: true };
      }
      if (claim.kind === 'in_flight' && claim.sendId) {
        const answered = await this.answerForEarlierSend(options.scope, key, requestHash, claim.sendId);
        if (answered) return answered;
      }
    }

    const deadline = Date.now() + this.deps.timeoutMs;
    let send: Send;
    let answerWithinMs: number;
    try {
      await withDeadline(options.check?.(), deadline, 'checking the write against the fleet directory');
      // Warms the directory so the stored operation knows its TSP even when Catena's answer omits it.
      await withDeadline(this.deps.directory.listConnections(), deadline, 'reading the connections').catch(() => []);
      answerWithinMs = Math.max(1000, deadline - Date.now());
      send = await sends.recordSingle(
        { ...draft, resend_of: options.resendOf ?? null, account_id: options.account?.id ?? null, account_name: options.account?.name ?? null },
        key ? { scope: options.scope, key } : null,
        answerWithinMs,
      );
    } catch (error) {
      // Nothing left for Catena: the same key may try again.
      if (key) await idempotency.release(options.scope, key);
      throw error instanceof ChainBusyError ? chainBusyError(error) : error;
    }

    const outcome = await this.deliver(send, answerWithinMs);
    if (outcome.kind === 'sent') {
      if (key) await idempotency.complete(options.scope, key, outcome.status, outcome.operation, outcome.operation.id);
      return { status: outcome.status, operation: outcome.operation, replayed: false };
    }
    if (outcome.kind === 'in_doubt') throw inDoubtError(send, this.deps.settlesAt(send), 504);
    if (key) await idempotency.release(options.scope, key);
    throw upstreamMessageError(outcome.error);
  }

  /**
   * Hands a recorded send to Catena and records what came of it. Only a certain refusal frees the
   * send; anything that may have reached Catena leaves it in doubt, to be settled (never resent) later.
   */
  async deliver(send: Send, timeoutMs = this.deps.timeoutMs): Promise<DeliveryOutcome> {
    const { sends, store, directory, catena } = this.deps;
    try {
      // A batch item's 429 goes back to the dispatcher, which paces itself and honours a cancel meanwhile.
      const options = { timeoutMs, noRateLimitWait: send.batch_id !== null };
      const { status, operation } = send.request
        ? await catena.write(send.request, send.is_sync, options)
        : await catena.createMessage(messageBodyOf(send), send.is_sync, options);
      const record = toOperationRecord(operation, directory.sourceNameOf(operation.connection_id));
      await store.upsert(record, 'console');
      await sends.markSubmitted(send, record.id);
      // A webhook may already have stored a newer state; answer with what the store holds.
      const stored = await store.get(record.id);
      if (!stored) throw new Error(`operation ${record.id} vanished from the store`);
      return { kind: 'sent', status, operation: stored };
    } catch (error) {
      if (error instanceof CatenaError && error.status === 429 && !error.mayHaveLanded) {
        if (send.batch_id) await sends.requeue(send);
        else await sends.markRefused(send, error.message);
        return { kind: 'rate_limited', retryAfterSeconds: error.retryAfterSeconds ?? 1, error };
      }
      if (certainlyNotSent(error)) {
        await sends.markRefused(send, error instanceof Error ? error.message : 'refused');
        return { kind: 'refused', error };
      }
      this.deps.log.warn(
        { send_id: send.id, batch_id: send.batch_id, err: error instanceof Error ? error.message : String(error) },
        'send in doubt: the request left but its answer did not come back',
      );
      return { kind: 'in_doubt', error };
    }
  }

  /** A retry of a key whose send was recorded: its outcome if known, "in progress" while its request may still be answered, else "still in doubt". */
  private async answerForEarlierSend(scope: string, key: string, requestHash: string, sendId: string): Promise<SendResult | null> {
    const { sends, store, idempotency } = this.deps;
    const earlier = await sends.get(sendId);
    if (earlier?.state === 'submitted' && earlier.operation_id) {
      const operation = await store.get(earlier.operation_id);
      if (operation) {
        // Settled as sent after its request lost its answer: the key now answers with that operation.
        const status = earlier.is_sync ? (operation.status === 'failed' ? 502 : 200) : 202;
        await idempotency.complete(scope, key, status, operation, operation.id);
        return { status, operation, replayed: true };
      }
    }
    if (!earlier || earlier.state === 'not_sent' || earlier.state === 'refused') {
      // Settled as never sent: this retry may send it, if it wins the key.
      if (await idempotency.takeOver(scope, key, requestHash, sendId)) return null;
      throw new HttpError(
        409,
        'request_in_progress',
        'A request with this Idempotency-Key is still being handled. Wait a moment and retry with the same key.',
      );
    }
    // Its request may still be answered (its sender's deadline has not passed): not in doubt yet.
    if (earlier.on_its_way) {
      throw new HttpError(
        409,
        'request_in_progress',
        'This message is on its way to Catena; its answer is expected within seconds. Wait a moment and retry with the same key.',
        {
          send_id: earlier.id,
        },
      );
    }
    throw inDoubtError(earlier, this.deps.settlesAt(earlier), 409);
  }
}

/** What Catena is asked to send for a recorded send. */
function messageBodyOf(send: Send): Record<string, unknown> {
  return {
    connection_id: send.connection_id,
    sender_id: send.sender_id,
    recipient_id: send.recipient_id,
    message_text: send.message_text,
    ...(send.priority ? { priority: send.priority } : {}),
    ...(send.reply_to_message_id ? { reply_to_message_id: send.reply_to_message_id } : {}),
  };
}

function certainlyNotSent(error: unknown): boolean {
  if (error instanceof HttpError) return error.statusCode < 500;
  return error instanceof CatenaError && !error.mayHaveLanded;
}

export function inDoubtError(send: Send, settlesAt: string, status: 409 | 504): HttpError {
  return new HttpError(
    status,
    SEND_IN_DOUBT,
    'Not confirmed yet — Catena did not answer in time, so the console is checking with Catena whether the message was created. Do not compose it again; this request will answer with the outcome once it is known.',
    { send_id: send.id, settles_at: settlesAt },
  );
}

export function chainBusyError(error: ChainBusyError): HttpError {
  if (error.reason === 'resend_in_progress') {
    return new HttpError(
      409,
      'resend_in_progress',
      'A resend of this message is already on its way; wait for its outcome instead of sending it again.',
      {
        operation_id: error.operationId,
        batch_id: error.batchId,
      },
    );
  }
  if (error.reason === 'already_resent') {
    return new HttpError(
      409,
      'already_resent',
      `This message was already resent as operation ${(error.operationId ?? '').slice(0, 8)}; open that one to see how it went.`,
      {
        operation_id: error.operationId,
      },
    );
  }
  return new HttpError(409, 'not_resendable', 'Only a failed message can be resent.', { operation_id: error.operationId });
}

/** Bounds one step of a send by the send's deadline, naming the step that ran out of time. */
async function withDeadline<T>(work: Promise<T> | undefined, deadline: number, step: string): Promise<T | undefined> {
  if (!work) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HttpError(504, 'send_timed_out', `Nothing was sent: the console timed out ${step} (Catena is slow to answer). Try again in a moment.`),
        ),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function upstreamMessageError(error: unknown): unknown {
  if (!(error instanceof CatenaError) || error.kind !== 'http') return error;
  if (error.status === 404) {
    return new HttpError(
      404,
      'connection_not_found',
      'Catena does not know this connection (or it is not shared with this partner).',
      error.detail ?? undefined,
    );
  }
  if (error.status === 422 || error.status === 400) {
    return new HttpError(422, 'rejected_by_catena', `Catena refused the message: ${error.message}`, error.detail ?? undefined);
  }
  return error;
}
