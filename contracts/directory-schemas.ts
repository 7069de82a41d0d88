import { z } from 'zod';
import { catenaIdSchema } from './operation-schemas.ts';

/** A connection as people know it: its fleet's name and its TSP (Catena's connection has no name). */
export const connectionSchema = z.object({
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
