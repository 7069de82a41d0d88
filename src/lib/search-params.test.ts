import { describe, expect, it } from 'vitest';
import { parseSearch, stringifySearch } from './search-params.ts';

describe('search params', () => {
  it('repeats the key for a list and keeps every value a string', () => {
    expect(stringifySearch({ status: ['failed', 'pending'], q: '4242', empty: [], gone: undefined })).toBe('?status=failed&status=pending&q=4242');
    expect(parseSearch('?status=failed&status=pending&q=4242')).toEqual({ status: ['failed', 'pending'], q: '4242' });
  });

  it('round-trips text that needs escaping', () => {
    const search = { q: 'dock 4 & gate "B"', from: '2026-11-27T10:00:00.000Z' };
    expect(parseSearch(stringifySearch(search))).toEqual(search);
  });

  it('writes nothing for an empty search', () => {
    expect(stringifySearch({})).toBe('');
    expect(parseSearch('')).toEqual({});
  });
});
