import { z } from 'zod';
import { catenaIdSchema } from './operation-schemas.ts';

const timestampSchema = z.iso.datetime({ offset: true });

/**
 * A provider incident (decision 0045): one TSP's `tsp`/`network` failures rose across its
 * connections. The console opens one per TSP at a time and closes it when the TSP recovers.
 */
export const incidentSchema = z.object({
  id: z.uuid(),
  /** The TSP (`source_name` of its connections), e.g. "geotab". */
  tsp: z.string(),
  /** When the console opened it (the database's clock). */
  opened_at: timestampSchema,
  /** When the first of its failures happened: "degraded since". */
  since: timestampSchema,
  closed_at: timestampSchema.nullable(),
  /** Failed writes it holds (what its folded row in Operations counts). */
  failed_count: z.number().int().nonnegative(),
  /** The connections (fleets) those failures are on. */
  connection_ids: z.array(catenaIdSchema),
  last_failure_at: timestampSchema.nullable(),
  /** "Resend these when the TSP recovers": armed, then the batch the leader made once the incident closed. */
  armed_resend: z
    .object({
      armed_at: timestampSchema,
      armed_by_name: z.string().nullable(),
      resend_batch_id: z.uuid().nullable(),
      /** Why no batch was made (nothing left to resend), in words. */
      note: z.string().nullable(),
    })
    .nullable(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentListSchema = z.object({ items: z.array(incidentSchema) });
export type IncidentList = z.infer<typeof incidentListSchema>;

/** Query string of GET /api/incidents. */
export const incidentListQuerySchema = z.object({
  open: z
    .enum(['true', 'false'], { error: 'open must be "true" or "false"' })
    .transform((value) => value === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
