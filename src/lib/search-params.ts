/**
 * How the router writes view state into the address bar. A value is a plain string and a list
 * repeats its key (`?status=failed&status=pending`), the same convention as the console
 * server's /api/* filters, so a URL reads like the request it causes. The router's default
 * (JSON in each value) would write `?status=%5B%22failed%22%5D`.
 *
 * Nothing is converted here: every value is a string or a list of strings, and each page's
 * zod schema (`validateSearch`) turns them into what it means, so `?q=4242` stays the text
 * someone typed.
 */

export type RawSearch = Record<string, string | string[]>;

export function parseSearch(searchStr: string): RawSearch {
  const params = new URLSearchParams(searchStr.startsWith('?') ? searchStr.slice(1) : searchStr);
  const result: RawSearch = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return result;
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = stringifyValue(item);
      if (text !== null) params.append(key, text);
    }
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

function stringifyValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // No page keeps objects in its URL; JSON keeps one readable if a later page does.
  return JSON.stringify(value);
}
