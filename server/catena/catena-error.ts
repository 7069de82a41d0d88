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
  ) {
    super(message);
  }
}
