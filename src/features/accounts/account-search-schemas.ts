import { z } from 'zod';

/**
 * /accounts?account=<id>: one account picked out among the others (a link from the audit log
 * lands on it). Anything else in the URL is dropped rather than refused.
 */
export const accountsSearchSchema = z.object({
  account: z.uuid().optional().catch(undefined),
});
export type AccountsSearch = z.infer<typeof accountsSearchSchema>;
