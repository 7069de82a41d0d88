import { z } from 'zod';

/**
 * /audit?action=message_sent: the audit log's filter lives in the URL (house style #8), so a
 * filtered view can be shared. The server's own limit on an action name; no action means all.
 */
export const auditSearchSchema = z.object({
  action: z
    .string()
    .regex(/^[a-z_]{1,64}$/)
    .optional()
    .catch(undefined),
});
export type AuditSearch = z.infer<typeof auditSearchSchema>;
