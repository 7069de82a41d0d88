import { PASSWORD_MIN_LENGTH } from '../../../contracts/access-schemas.ts';

/** Letters and digits that cannot be mistaken for each other when read aloud or copied by hand. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A random password for a new account or a reset: 20 characters from a 55-character alphabet
 * (about 115 bits), from the browser's cryptographic random source.
 */
export function suggestPassword(length = Math.max(20, PASSWORD_MIN_LENGTH)): string {
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (value) => ALPHABET[value % ALPHABET.length]).join('');
}
