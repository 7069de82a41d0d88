import { afterEach, describe, expect, it, vi } from 'vitest';
import { idempotencyKeySchema } from '../../contracts/message-schemas.ts';
import { newIdempotencyKey } from './idempotency-key.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('makes a new key each time that the server accepts', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).not.toBe(b);
    expect(idempotencyKeySchema.safeParse(a).success).toBe(true);
  });

  it('still makes a random v4 id where crypto.randomUUID is missing (plain http)', () => {
    const { crypto: real } = globalThis;
    vi.stubGlobal('crypto', { getRandomValues: <T extends ArrayBufferView<ArrayBuffer>>(bytes: T) => real.getRandomValues(bytes) });
    const key = newIdempotencyKey();
    expect(key).toMatch(UUID_V4);
  });
});
