import { z } from 'zod';

/**
 * Wire types of resource operations, shared by the console server and the SPA.
 * Field names are Catena's own (ResourceOperationRead), plus two the console derives:
 * `attempt_count` and `last_error_type`.
 */

export const operationStatuses = ['pending', 'success', 'failed'] as const;
export const operationStatusSchema = z.enum(operationStatuses);
export type OperationStatus = z.infer<typeof operationStatusSchema>;

export const errorTypes = ['auth', 'validation', 'network', 'tsp'] as const;
export const errorTypeSchema = z.enum(errorTypes);
export type ErrorType = z.infer<typeof errorTypeSchema>;

export const operationTypes = ['create', 'update'] as const;
export const operationTypeSchema = z.enum(operationTypes);
export type OperationType = z.infer<typeof operationTypeSchema>;

/** Catena ids are uuid-shaped; real Catena may use any uuid version, so only the shape is checked. */
export const catenaIdSchema = z.guid();
const timestampSchema = z.iso.datetime({ offset: true });

export const operationLogSchema = z.object({
  id: catenaIdSchema,
  created_at: timestampSchema,
  updated_at: timestampSchema,
  resource_operation_id: catenaIdSchema,
  status: z.enum(['success', 'failed']),
  error_type: errorTypeSchema.nullable(),
  error_details: z.string().nullable(),
  response_status_code: z.number().int().nullable().optional(),
  response_headers: z.record(z.string(), z.string()).nullable().optional(),
});
export type OperationLog = z.infer<typeof operationLogSchema>;

export const operationSchema = z.object({
  id: catenaIdSchema,
  created_at: timestampSchema,
  updated_at: timestampSchema,
  partner_id: catenaIdSchema,
  connection_id: catenaIdSchema,
  fleet_ref: z.string().nullable(),
  source_name: z.string(),
  resource: z.string(),
  resource_id: z.string().nullable(),
  source_id: z.string().nullable(),
  operation_type: operationTypeSchema,
  status: operationStatusSchema,
  payload: z.record(z.string(), z.unknown()),
  attempt_count: z.number().int().nonnegative(),
  last_error_type: errorTypeSchema.nullable(),
  /** Present (true) when it is still pending past its resource's threshold (STUCK_AFTER_MINUTES): stuck work. */
  stuck: z.literal(true).optional(),
});
export type Operation = z.infer<typeof operationSchema>;

/** An operation with every attempt, as Catena sends it (normalised). */
export const operationWithLogsSchema = operationSchema.extend({
  logs: z.array(operationLogSchema),
});
export type OperationWithLogs = z.infer<typeof operationWithLogsSchema>;

/** One operation of a resend chain, as the drawer lists it. */
export const chainLinkSchema = z.object({
  id: catenaIdSchema,
  status: operationStatusSchema,
  created_at: timestampSchema,
  updated_at: timestampSchema,
  last_error_type: errorTypeSchema.nullable(),
  sent_by: z.string().nullable(),
});
export type ChainLink = z.infer<typeof chainLinkSchema>;

/**
 * Whether "Resend" may be offered for this operation, decided by the server (the one place the
 * rule lives): only the newest operation of a chain, only when it failed, only one resend at a time.
 */
export const resendVerdicts = ['resendable', 'already_resent', 'resend_in_progress', 'not_failed', 'not_resendable'] as const;
export const resendabilitySchema = z.object({
  verdict: z.enum(resendVerdicts),
  /** In words, for the drawer: "Already resent as 1a2b3c4d (Succeeded)". */
  message: z.string(),
  /** The chain's newest operation, when it is not this one. */
  newer_operation_id: catenaIdSchema.nullable(),
});
export type Resendability = z.infer<typeof resendabilitySchema>;

/** GET /api/operations/{id}: the operation, its attempts, and the console's links between resends. */
export const operationDetailSchema = operationWithLogsSchema.extend({
  /** The failed operation this one resent, if it was sent with "Resend". */
  resend_of: catenaIdSchema.nullable(),
  /** Operations that resent this one, oldest first. */
  resent_as: z.array(catenaIdSchema),
  /** Who sent it from this console (absent for operations other systems made). */
  sent_by: z.string().nullable().optional(),
  /** The broadcast it was part of, if any. */
  broadcast_id: catenaIdSchema.nullable().optional(),
  /** The bulk resend that sent it, if any. */
  resend_batch_id: catenaIdSchema.nullable().optional(),
  /** Every operation of this intent, first send first, this one included (just this one when never resent). */
  chain: z.array(chainLinkSchema).optional(),
  resend: resendabilitySchema.optional(),
  /**
   * How many attempts Catena makes at most, as far as the console knows: Catena does not document
   * it, so it is configured (CATENA_MAX_ATTEMPTS) and null when unknown. Only ever shown in words
   * ("attempt 3 of 5"); nothing depends on it.
   */
  attempts_expected: z.number().int().positive().nullable().optional(),
});
export type OperationDetail = z.infer<typeof operationDetailSchema>;

export const operationPageSchema = z.object({
  items: z.array(operationSchema),
  next_cursor: z.string().nullable(),
});
export type OperationPage = z.infer<typeof operationPageSchema>;

export const operationSummarySchema = z.object({
  total: z.number().int().nonnegative(),
  by_status: z.record(operationStatusSchema, z.number().int().nonnegative()),
  /** Failed operations, by the error of their last attempt. */
  by_error_type: z.record(errorTypeSchema, z.number().int().nonnegative()),
  /** Operations that succeeded after attempts failed with these errors (the last failed attempt's type). */
  recovered_by_error_type: z.record(errorTypeSchema, z.number().int().nonnegative()),
  /** Pending operations past their resource's threshold (STUCK_AFTER_MINUTES): stuck work. */
  stuck: z.number().int().nonnegative(),
});
export type OperationSummary = z.infer<typeof operationSummarySchema>;

/** A filter that names a set may be given once (`?status=failed`) or repeated (`?status=failed&status=pending`). */
const manyOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item).max(100).optional());

export const OPERATION_PAGE_SIZE_DEFAULT = 50;
export const OPERATION_PAGE_SIZE_MAX = 500;

/** Query string of GET /api/operations and GET /api/operations/summary. */
export const operationFiltersSchema = z
  .object({
    connection_id: manyOf(catenaIdSchema),
    resource: manyOf(z.string().regex(/^[a-z_]{1,64}$/, 'a resource name such as "message"')),
    status: manyOf(operationStatusSchema),
    operation_type: manyOf(operationTypeSchema),
    error_type: manyOf(errorTypeSchema),
    from: timestampSchema.optional(),
    to: timestampSchema.optional(),
    q: z.string().trim().max(200).optional(),
    /** A person in a message: its sender or its recipient (Catena user id). */
    participant_id: catenaIdSchema.optional(),
    /** Only operations still pending past their resource's threshold (STUCK_AFTER_MINUTES): stuck work. */
    stuck: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
    /** Only the failed writes a provider incident holds (its folded row, expanded). */
    incident: z.uuid({ error: 'an incident id (a UUID)' }).optional(),
    /** Leave out the failed writes these incidents hold: the table shows each incident as one folded row instead. */
    exclude_incident: manyOf(z.uuid({ error: 'an incident id (a UUID)' })),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), {
    message: '"from" must not be later than "to"',
    path: ['from'],
  });
export type OperationFilters = z.infer<typeof operationFiltersSchema>;

export const operationSortFields = ['created_at', 'updated_at'] as const;
export const operationSortSchema = z.enum(operationSortFields);
export type OperationSort = z.infer<typeof operationSortSchema>;
export const sortOrderSchema = z.enum(['desc', 'asc']);
export type SortOrder = z.infer<typeof sortOrderSchema>;

export const operationListQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(OPERATION_PAGE_SIZE_MAX).default(OPERATION_PAGE_SIZE_DEFAULT),
  sort: operationSortSchema.default('created_at'),
  order: sortOrderSchema.default('desc'),
});
export type OperationListQuery = z.infer<typeof operationListQuerySchema>;

export const TIMELINE_BUCKETS_MAX = 200;

/** GET /api/operations/timeline: the filters plus how many buckets to split [from, to) into. */
export const operationTimelineQuerySchema = z.object({
  buckets: z.coerce.number().int().min(1).max(TIMELINE_BUCKETS_MAX).default(48),
});

/** Operations created per time bucket, by status: what the chart above the table draws. */
export const operationTimelineSchema = z.object({
  from: timestampSchema,
  to: timestampSchema,
  bucket_seconds: z.number().int().positive(),
  buckets: z.array(
    z.object({
      start: timestampSchema,
      pending: z.number().int().nonnegative(),
      success: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
    }),
  ),
});
export type OperationTimeline = z.infer<typeof operationTimelineSchema>;

const facetCountSchema = z.object({ value: z.string(), count: z.number().int().nonnegative() });

/** GET /api/operations/facets: which resources and operation types occur under the filters, with counts. */
export const operationFacetsSchema = z.object({
  resource: z.array(facetCountSchema),
  operation_type: z.array(facetCountSchema),
});
export type OperationFacets = z.infer<typeof operationFacetsSchema>;

export const failureCountSchema = z.object({ connection_id: catenaIdSchema, resource: z.string(), failed: z.number().int().positive() });
export type FailureCount = z.infer<typeof failureCountSchema>;

/** GET /api/operations/failures: failed writes per connection and resource since `from` (the Overview). */
export const operationFailuresSchema = z.object({ from: timestampSchema, items: z.array(failureCountSchema) });
export type OperationFailures = z.infer<typeof operationFailuresSchema>;

const fieldValueSchema = z.unknown();

/** One field an update changes: the record's value before it and the value the update writes. */
export const fieldChangeSchema = z.object({
  field: z.string(),
  before: fieldValueSchema,
  after: fieldValueSchema,
  /** False when the console does not know the value before (no earlier state in the store or at Catena). */
  before_known: z.boolean(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const recordNameSchema = z.object({ id: z.string(), kind: z.enum(['user', 'vehicle', 'trailer']), name: z.string() });

/**
 * GET /api/operations/{id}/record: the operation read as a record of its resource. For an update,
 * the record as it was (from the store's earlier successful operations on it, or Catena's read of
 * it) and what the update changes field by field; the names the payload's Catena ids resolve to;
 * a newer update of the same record, if the store has one.
 */
export const operationRecordSchema = z.object({
  operation_id: catenaIdSchema,
  resource: z.string(),
  operation_type: operationTypeSchema,
  record_before: z
    .object({
      /** `store`: folded from earlier successful operations; `catena`: Catena's read of the record now. */
      source: z.enum(['store', 'catena']),
      fields: z.record(z.string(), fieldValueSchema),
    })
    .nullable(),
  changes: z.array(fieldChangeSchema),
  names: z.array(recordNameSchema),
  newer_update_id: catenaIdSchema.nullable(),
});
export type OperationRecord = z.infer<typeof operationRecordSchema>;
