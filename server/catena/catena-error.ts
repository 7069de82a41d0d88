/**
 * A failed call to Catena. `kind` says whether Catena answered (`http`), could not be reached
 * (`network`), or answered something the console cannot read (`invalid_response`).
 * The message is safe to log and show: it never carries a token or a secret.
 */
export class CatenaError extends Error {
  constructor(
    readonly kind: 'http' | 'network' | 'invalid_response',
    message: string,
    readonly status: number | null = null,
    readonly detail: unknown = null,
    readonly retryAfterSeconds: number | null = null,
    /**
     * The request may have reached Catena and been acted on: it timed out, the connection broke
     * after it left, Catena answered 5xx, or its answer could not be read. A write that failed so
     * is in doubt, never "not sent" (decision 0020). False when it certainly never arrived
     * (connection refused, no token) or Catena refused it (4xx).
     */
    readonly mayHaveLanded: boolean = false,
  ) {
    super(message);
  }
}
