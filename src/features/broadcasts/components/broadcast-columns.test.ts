import { describe, expect, it } from 'vitest';
import { excerpt } from './broadcast-columns.tsx';

describe('excerpt', () => {
  it('keeps a short text whole, on one line', () => {
    expect(excerpt('Dock 4 is closed.\nUse dock 6.')).toBe('Dock 4 is closed. Use dock 6.');
  });

  it('cuts a long text at a word, without a dangling full stop before the ellipsis', () => {
    expect(excerpt('Weather alert: high winds on I-55. Empty trailers stay parked until 18:00. Drive safe.', 75)).toBe(
      'Weather alert: high winds on I-55. Empty trailers stay parked until 18:00…',
    );
  });
});
