import { describe, expect, it } from 'vitest';
import { CatenaHttpError } from './catena-errors.ts';
import { decodeCursor, paginate } from './cursor-page.ts';

const items = Array.from({ length: 10 }, (_, i) => ({ id: `id-${i}`, at: `2026-01-01T00:00:0${i}Z` }));
const key = (item: (typeof items)[number]) => [item.at, item.id];

describe('paginate', () => {
  it('walks forward and back without gaps or duplicates', () => {
    const first = paginate(items, key, undefined, 4);
    expect(first.items.map((i) => i.id)).toEqual(['id-0', 'id-1', 'id-2', 'id-3']);
    expect(first.previous_page).toBeNull();
    const second = paginate(items, key, first.next_page ?? undefined, 4);
    expect(second.items.map((i) => i.id)).toEqual(['id-4', 'id-5', 'id-6', 'id-7']);
    const third = paginate(items, key, second.next_page ?? undefined, 4);
    expect(third.items.map((i) => i.id)).toEqual(['id-8', 'id-9']);
    expect(third.next_page).toBeNull();
    expect(paginate(items, key, third.previous_page ?? undefined, 4).items).toEqual(second.items);
    expect(paginate(items, key, second.previous_page ?? undefined, 4).items).toEqual(first.items);
  });

  it('keeps its place when items are added before the cursor', () => {
    const first = paginate(items, key, undefined, 3);
    const grown = [{ id: 'id-00', at: '2025-12-31T00:00:00Z' }, ...items];
    expect(paginate(grown, key, first.next_page ?? undefined, 3).items.map((i) => i.id)).toEqual(['id-3', 'id-4', 'id-5']);
  });

  it('rejects cursors it did not make', () => {
    for (const raw of ['x', 'eyJ9', Buffer.from('{"d":"x","k":[],"i":1}').toString('base64url')]) {
      expect(() => decodeCursor(raw)).toThrow(CatenaHttpError);
    }
  });
});
