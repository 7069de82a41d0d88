/**
 * A store's "no" to what it was asked (a cursor it never gave out, an email taken): the caller's
 * input, not the store's state. Stores never speak HTTP; the API answers these with a 4xx.
 */
export class StoreRefusal extends Error {
  constructor(
    readonly code: StoreRefusalCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type StoreRefusalCode = 'invalid_cursor' | 'email_taken' | 'account_not_found' | 'last_admin';

/** The HTTP status each refusal is answered with. */
export const STATUS_OF_REFUSAL: Record<StoreRefusalCode, number> = {
  invalid_cursor: 400,
  email_taken: 409,
  account_not_found: 404,
  last_admin: 409,
};
