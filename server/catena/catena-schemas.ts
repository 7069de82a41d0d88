import { z } from 'zod';
import { catenaIdSchema, errorTypeSchema, operationStatusSchema, operationTypeSchema } from '../../contracts/operation-schemas.ts';

/**
 * Catena's answers as the console reads them. Lenient where Catena's specs disagree (the message
 * 202 body lists fewer required fields than ResourceOperationRead) and strict where the console
 * relies on a field. Unknown fields are ignored: Catena may add fields to provisional endpoints.
 */

/** The years a stored time may have: every one of them round-trips through `toISOString()` unchanged in form. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);

/**
 * A time as Catena sends it (RFC 3339, any offset), checked and turned into the one form the store
 * keeps: UTC with milliseconds (`toISOString()`), so text order is time order. A time whose UTC
 * year is before 1970 or past 9999 is refused: it has no such form (`-000001-…`, `+010000-…`)
 * and no operation happened then.
 */
const timestamp = z.iso.datetime({ offset: true, error: 'an RFC 3339 time' }).transform((value, context) => {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < EARLIEST || ms >= LATEST) {
    context.addIssue({ code: 'custom', message: 'a time between 1970 and 9999 (UTC)' });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});
const nullableString = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
/** Ids of operations and their logs, in one case, so the same operation is one row whatever case Catena used. */
const operationId = catenaIdSchema.transform((id) => id.toLowerCase());

/** Deepest nesting a payload may have; a message payload is flat. The store's JSON indexes stop at 1,000. */
export const MAX_PAYLOAD_DEPTH = 32;

/** How deep `value` nests (a scalar is 0), walked without recursion so no input can overflow the stack. */
export function nestingDepth(value: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(item)) stack.push([child, inner]);
  }
  return deepest;
}

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string(),
});

export const cursorPageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    next_page: z.string().nullish(),
  });

export const catenaConnectionSchema = z.object({
  id: catenaIdSchema,
  fleet_id: catenaIdSchema.nullish().transform((v) => v ?? null),
  fleet_ref: nullableString,
  source_name: z.string(),
  status: z.string(),
  description: nullableString,
});
export type CatenaConnection = z.infer<typeof catenaConnectionSchema>;

export const catenaFleetSchema = z.object({
  id: catenaIdSchema,
  name: z.string(),
  display_name: nullableString,
  fleet_ref: nullableString,
});
export type CatenaFleet = z.infer<typeof catenaFleetSchema>;

export const catenaUserSchema = z.object({
  id: catenaIdSchema,
  connection_id: catenaIdSchema,
  first_name: nullableString,
  last_name: nullableString,
  username: nullableString,
  is_driver: z.boolean().nullish(),
  is_active: z.boolean().nullish(),
  status: nullableString,
  user_designation: nullableString,
});
export type CatenaUser = z.infer<typeof catenaUserSchema>;

/**
 * A vehicle or trailer as Catena reads it. The spec excerpt has no read schema for them, so only
 * the record's ids are required; the body fields (VehicleCreate / TrailerCreate) are kept as given.
 */
const catenaAssetBase = z
  .object({
    id: catenaIdSchema,
    connection_id: catenaIdSchema,
    source_id: nullableString,
    license_plate_number: nullableString,
    vin: nullableString,
    status: nullableString,
    is_active: z
      .boolean()
      .nullish()
      .transform((v) => v ?? null),
  })
  .loose();
export const catenaVehicleSchema = catenaAssetBase.extend({ vehicle_name: nullableString });
export type CatenaVehicle = z.infer<typeof catenaVehicleSchema>;
export const catenaTrailerSchema = catenaAssetBase.extend({ trailer_name: nullableString });
export type CatenaTrailer = z.infer<typeof catenaTrailerSchema>;

/** A user with every field Catena sends (for the record an update changes). */
export const catenaUserRecordSchema = catenaUserSchema.loose();

export const catenaOperationLogSchema = z.object({
  id: operationId,
  created_at: timestamp,
  updated_at: timestamp,
  resource_operation_id: operationId,
  status: z.enum(['success', 'failed']),
  error_type: errorTypeSchema.nullish().transform((v) => v ?? null),
  error_details: nullableString,
  response_status_code: z
    .number()
    .int()
    .min(0)
    .max(999)
    .nullish()
    .transform((v) => v ?? null),
  response_headers: z
    .record(z.string(), z.string())
    .nullish()
    .transform((v) => v ?? null),
});

export const catenaOperationSchema = z.object({
  id: operationId,
  created_at: timestamp,
  updated_at: timestamp,
  partner_id: operationId,
  connection_id: operationId,
  fleet_ref: nullableString,
  // Absent from the message-create 202 body in one of Catena's specs; the store fills it from the connection.
  source_name: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  // The form the console's filters accept (`?resource=`), so every stored operation can be found by it.
  resource: z.string().regex(/^[a-z_]{1,64}$/, 'a resource name such as "message"'),
  operation_type: operationTypeSchema,
  status: operationStatusSchema,
  resource_id: nullableString,
  source_id: nullableString,
  payload: z
    .record(z.string(), z.unknown())
    .refine((payload) => nestingDepth(payload, MAX_PAYLOAD_DEPTH) <= MAX_PAYLOAD_DEPTH, `a payload nested at most ${MAX_PAYLOAD_DEPTH} levels deep`),
  logs: z
    .array(catenaOperationLogSchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type CatenaOperation = z.infer<typeof catenaOperationSchema>;

export const catenaWebhookSchema = z.object({
  id: catenaIdSchema,
  url: z.string(),
  event_name: z.string(),
  status: z.string().nullish(),
});
export type CatenaWebhook = z.infer<typeof catenaWebhookSchema>;

/** POST /v2/notifications/webhooks answers one subscription, or a list for a `.*` catch-all. */
export const catenaWebhookCreateResponseSchema = z.union([z.array(catenaWebhookSchema), catenaWebhookSchema]);

/** Catena's error bodies: `{code, message, detail}`; 422's detail is a list, 429's an object. */
export const catenaErrorBodySchema = z
  .object({
    code: z.number().optional(),
    message: z.string().optional(),
    detail: z.unknown().optional(),
    error: z.string().optional(),
    error_description: z.string().optional(),
  })
  .loose();

/** TimePeriodMetric: one number (or null) per window. */
const timePeriodMetricSchema = z.object({
  '6h': z.number().nullable(),
  '24h': z.number().nullable(),
  '7d': z.number().nullable(),
  '14d': z.number().nullable(),
});

/** GET /v2/notifications/webhooks/{id}/metrics (WebhookMetrics); only the fields the console reads are required. */
export const catenaWebhookMetricsSchema = z.object({
  webhook_id: catenaIdSchema,
  http_attempts: timePeriodMetricSchema,
  http_success_attempts: timePeriodMetricSchema,
  http_failure_attempts: timePeriodMetricSchema,
  ewma_success_rate: z.number().nullable(),
  dlq_count: z.number().int().nonnegative(),
});
export type CatenaWebhookMetrics = z.infer<typeof catenaWebhookMetricsSchema>;

/** One delivery attempt (WebhookLogRead). */
export const catenaWebhookLogSchema = z.object({
  created_at: z.string(),
  message_id: z.string(),
  event_name: z.string(),
  status: z.enum(['success', 'failed']),
  status_code: z.number().int(),
  error_message: z.string().max(2000).nullable(),
  response_time_ms: z.number().nullable().optional(),
});
export type CatenaWebhookLog = z.infer<typeof catenaWebhookLogSchema>;
