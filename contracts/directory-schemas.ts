import { z } from 'zod';
import { catenaIdSchema } from './operation-schemas.ts';

/** A connection as the directory reads it from Catena: its fleet's name and its TSP (Catena's connection has no name). */
export const directoryConnectionSchema = z.object({
  id: catenaIdSchema,
  name: z.string(),
  fleet_id: catenaIdSchema.nullable(),
  fleet_ref: z.string().nullable(),
  tsp: z.string(),
  status: z.string(),
  description: z.string().nullable(),
  /** Whether messages can be sent through it now; when not, `inactive_reason` says why. */
  can_send: z.boolean(),
  inactive_reason: z.string().nullable(),
  limits: z.object({
    /** The TSP's longest message text, or null when the console does not know it. */
    message_text_max: z.number().int().positive().nullable(),
  }),
});
export type DirectoryConnection = z.infer<typeof directoryConnectionSchema>;

export const connectionHealthStates = ['healthy', 'failing', 'degraded', 'paused'] as const;
export const connectionHealthStateSchema = z.enum(connectionHealthStates);
export type ConnectionHealthState = z.infer<typeof connectionHealthStateSchema>;

/**
 * How the connection's writes have gone lately, judged by the console from its own store
 * (server/connection-health/health-rules.ts; docs/decisions/0044): `failing` means writes will
 * keep failing until the fleet acts, `degraded` that the TSP or the network is dropping attempts
 * (Catena retries), `paused` that Catena says the connection is not active.
 */
export const connectionHealthSchema = z.object({
  state: connectionHealthStateSchema,
  /** Why, in words a dispatcher can act on; null when healthy. */
  reason: z.string().nullable(),
  /** When this state began (the first write of the run of failures); null when healthy, or not known (paused). */
  since: z.iso.datetime({ offset: true }).nullable(),
  /** The newest finished writes that failed one after the other with `auth` (validation failures aside). */
  failed_in_a_row: z.number().int().nonnegative(),
  /** The last `window_minutes`: writes created, how many failed, and failed `network`/`tsp` attempts. */
  recent: z.object({
    window_minutes: z.number().int().positive(),
    writes: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    failed_attempts: z.number().int().nonnegative(),
  }),
});
export type ConnectionHealth = z.infer<typeof connectionHealthSchema>;

/** A connection as GET /api/connections answers it: what the directory read, with its health. */
export const connectionSchema = directoryConnectionSchema.extend({ health: connectionHealthSchema });
export type Connection = z.infer<typeof connectionSchema>;
export const connectionListSchema = z.object({ items: z.array(connectionSchema) });

export const userRoles = ['driver', 'dispatcher', 'other'] as const;
export const userRoleSchema = z.enum(userRoles);
export type UserRole = z.infer<typeof userRoleSchema>;

export const directoryUserSchema = z.object({
  id: catenaIdSchema,
  connection_id: catenaIdSchema,
  name: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  username: z.string().nullable(),
  role: userRoleSchema,
  is_active: z.boolean(),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;
export const directoryUserListSchema = z.object({ items: z.array(directoryUserSchema) });

export const userQuerySchema = z.object({
  connection_id: catenaIdSchema.optional(),
  role: z.enum(['driver', 'dispatcher']).optional(),
  q: z.string().trim().max(100).optional(),
});

export const assetKinds = ['vehicle', 'trailer'] as const;
export const assetKindSchema = z.enum(assetKinds);
export type AssetKind = z.infer<typeof assetKindSchema>;

/** A vehicle or a trailer as the console names it: its name (or unit number), VIN, plate and status. */
export const directoryAssetSchema = z.object({
  id: catenaIdSchema,
  connection_id: catenaIdSchema,
  kind: assetKindSchema,
  name: z.string(),
  source_id: z.string().nullable(),
  vin: z.string().nullable(),
  license_plate_number: z.string().nullable(),
  status: z.string().nullable(),
  is_active: z.boolean().nullable(),
});
export type DirectoryAsset = z.infer<typeof directoryAssetSchema>;
export const directoryAssetListSchema = z.object({ items: z.array(directoryAssetSchema) });

export const assetQuerySchema = z.object({ connection_id: catenaIdSchema.optional() });
