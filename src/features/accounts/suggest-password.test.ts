import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN_LENGTH } from '../../../contracts/access-schemas.ts';
import { suggestPassword } from './suggest-password.ts';

describe('suggestPassword', () => {
  it('is long enough for the server, unambiguous, and different each time', () => {
    const first = suggestPassword();
    expect(first.length).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
    expect(first).toMatch(/^[a-km-zA-HJ-NP-Z2-9]+$/);
    expect(suggestPassword()).not.toBe(first);
  });
});
