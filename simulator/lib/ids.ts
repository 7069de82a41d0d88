import { randomBytes, randomUUID } from 'node:crypto';

/** Ids of things created while the simulator runs (the seed uses its PRNG instead). */
export function newId(): string {
  return randomUUID();
}

let lastV7Ms = 0;
let v7Sequence = 0;

/**
 * A UUID v7 (RFC 9562): Catena documents webhook event ids as v7 "for time-ordered sorting".
 * A 12-bit counter in rand_a keeps ids created in the same millisecond in order.
 */
export function uuidV7(nowMs: number = Date.now()): string {
  if (nowMs === lastV7Ms) {
    v7Sequence = (v7Sequence + 1) & 0xfff;
  } else {
    lastV7Ms = nowMs;
    v7Sequence = randomBytes(2).readUInt16BE(0) & 0x7ff;
  }
  const bytes = randomBytes(16);
  const ms = BigInt(nowMs);
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | ((v7Sequence >> 8) & 0x0f);
  bytes[7] = v7Sequence & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const SECRET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random alphanumeric secret, like the ones Catena generates (`wX9kLmP2nQrT4vYz`). */
export function newSecret(length = 32): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += SECRET_ALPHABET[byte % SECRET_ALPHABET.length];
  return out;
}

/** An opaque access token; clients must treat it as a string, so it is not a JWT. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}
