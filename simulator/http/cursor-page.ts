import { z } from 'zod';
import { CatenaHttpError } from './catena-errors.ts';

/** Catena's list envelope (fastapi-pagination's cursor page). `total` appears only on some endpoints. */
export interface CursorPage<T> {
  items: T[];
  current_page: string | null;
  current_page_backwards: string | null;
  previous_page: string | null;
  next_page: string | null;
}

/** A position in a sorted list: the sort key of one item (e.g. [created_at, id]). */
export type SortKey = string[];

/**
 * Cursors are opaque to clients: base64url of `{d, k, i}` — direction (f = forward, b = backward),
 * the sort key of the item at the page boundary, and whether that item is included.
 * They carry no filters: like Catena, the client sends the same filters with every page.
 */
const cursorSchema = z.object({
  d: z.enum(['f', 'b']),
  k: z.array(z.string().max(200)).min(1).max(4),
  i: z.boolean(),
});
type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  const invalid = new CatenaHttpError(400, 'Invalid cursor value');
  if (raw.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (!parsed.success) throw invalid;
    return parsed.data;
  } catch {
    throw invalid;
  }
}

export function compareKeys(a: SortKey, b: SortKey): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/**
 * One page of `sorted` (already in the endpoint's order, matching `compare`).
 * Keyset paging: items added or changed between requests never shift a page, so a client that
 * follows `next_page` sees no duplicates and no gaps among the items that existed when it started.
 */
export function paginate<T>(
  sorted: readonly T[],
  keyOf: (item: T) => SortKey,
  rawCursor: string | undefined,
  size: number,
  compare: (a: SortKey, b: SortKey) => number = compareKeys,
): CursorPage<T> {
  let start = 0;
  let end = Math.min(sorted.length, size);
  if (rawCursor !== undefined && rawCursor !== '') {
    const cursor = decodeCursor(rawCursor);
    if (cursor.d === 'f') {
      start = sorted.findIndex((item) => {
        const c = compare(keyOf(item), cursor.k);
        return cursor.i ? c >= 0 : c > 0;
      });
      if (start === -1) start = sorted.length;
      end = Math.min(sorted.length, start + size);
    } else {
      let last = -1;
      sorted.forEach((item, index) => {
        const c = compare(keyOf(item), cursor.k);
        if (cursor.i ? c <= 0 : c < 0) last = index;
      });
      end = last + 1;
      start = Math.max(0, end - size);
    }
  }
  const items = sorted.slice(start, end);
  const first = items[0];
  const last = items.at(-1);
  return {
    items,
    current_page: first === undefined ? (rawCursor ?? null) || null : encodeCursor({ d: 'f', k: keyOf(first), i: true }),
    current_page_backwards: last === undefined ? null : encodeCursor({ d: 'b', k: keyOf(last), i: true }),
    previous_page: first !== undefined && start > 0 ? encodeCursor({ d: 'b', k: keyOf(first), i: false }) : null,
    next_page: last !== undefined && end < sorted.length ? encodeCursor({ d: 'f', k: keyOf(last), i: false }) : null,
  };
}
