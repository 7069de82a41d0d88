import { z } from 'zod';
import {
  catenaIdSchema,
  errorTypeSchema,
  operationSortSchema,
  operationStatusSchema,
  operationTypeSchema,
  sortOrderSchema,
} from '../../../contracts/operation-schemas.ts';

/**
 * The Operations page's view state, all of it in the URL (house style #8): filters, time range,
 * sort and the open operation. One schema, given to the route's `validateSearch`; values it does
 * not understand fall back to the default instead of breaking the page, and defaults are
 * stripped from the URL by the route (see `operationsSearchDefaults`).
 */

export const relativeRanges = ['1h', '24h', '7d'] as const;
export type RelativeRange = (typeof relativeRanges)[number];
export const timeRanges = [...relativeRanges, 'custom'] as const;
export type TimeRange = (typeof timeRanges)[number];

/** A key given once is a string, repeated it is a list (src/lib/search-params.ts); both mean a set. */
function setOf<T extends string>(item: z.ZodType<T>) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value): T[] => {
      const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
      const kept: T[] = [];
      for (const candidate of values) {
        const parsed = item.safeParse(candidate);
        if (parsed.success && !kept.includes(parsed.data)) kept.push(parsed.data);
      }
      return kept;
    })
    .catch([]);
}

const timestampSchema = z.iso.datetime({ offset: true });

export const operationsSearchSchema = z.object({
  connection: setOf(catenaIdSchema.transform((id) => id.toLowerCase())),
  /** The server's own rule for a resource name (contracts/operation-schemas.ts). */
  resource: setOf(z.string().regex(/^[a-z_]{1,64}$/)),
  status: setOf(operationStatusSchema),
  type: setOf(operationTypeSchema),
  error: setOf(errorTypeSchema),
  range: z.enum(timeRanges).default('24h').catch('24h'),
  /** Only with `range=custom`; a custom range without `to` runs up to now. */
  from: timestampSchema.optional().catch(undefined),
  to: timestampSchema.optional().catch(undefined),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((q) => (q ? q : undefined))
    .catch(undefined),
  sort: operationSortSchema.default('created_at').catch('created_at'),
  order: sortOrderSchema.default('desc').catch('desc'),
  /** The operation open in the drawer. */
  op: catenaIdSchema.optional().catch(undefined),
  /** Only the failed writes of this provider incident (its folded row, opened as the table). */
  incident: z.uuid().optional().catch(undefined),
  /** Only stuck work: pending past its resource's threshold (the server's STUCK_AFTER_MINUTES). */
  stuck: z
    .union([z.literal('true'), z.literal(true)])
    .optional()
    .transform((value) => (value ? true : undefined))
    .catch(undefined),
});

export type OperationsSearch = z.infer<typeof operationsSearchSchema>;
export type OperationsSearchInput = z.input<typeof operationsSearchSchema>;

/** What a URL without parameters means; the route strips these values from every URL it writes. */
export const operationsSearchDefaults = {
  connection: [],
  resource: [],
  status: [],
  type: [],
  error: [],
  range: '24h',
  sort: 'created_at',
  order: 'desc',
} satisfies Partial<OperationsSearch>;

/** The part of the view that selects which operations are listed (everything but sort and `op`). */
export type OperationsFilterState = Pick<
  OperationsSearch,
  'connection' | 'resource' | 'status' | 'type' | 'error' | 'range' | 'from' | 'to' | 'q' | 'incident' | 'stuck'
> & {
  /** Open incidents whose failures the table folds into one row each (not in the URL: the open incidents decide). */
  fold?: readonly string[];
};

export function filterStateOf(search: OperationsSearch): OperationsFilterState {
  const { connection, resource, status, type, error, range, from, to, q, incident, stuck } = search;
  return { connection, resource, status, type, error, range, from, to, q, incident, stuck };
}

/** Whether the view narrows anything beyond the default "last 24 hours, everything". */
export function hasActiveFilters(search: OperationsSearch): boolean {
  return (
    search.connection.length > 0 ||
    search.resource.length > 0 ||
    search.status.length > 0 ||
    search.type.length > 0 ||
    search.error.length > 0 ||
    search.range !== operationsSearchDefaults.range ||
    search.q !== undefined ||
    search.incident !== undefined ||
    search.stuck === true
  );
}

/** "Clear filters": back to the default view, keeping the sort the reader chose. */
export function clearedSearch(search: OperationsSearch): OperationsSearchInput {
  return { sort: search.sort, order: search.order };
}
