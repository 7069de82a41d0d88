import type { z } from 'zod';
import { refusedOperationsSchema, type RefusedOperationsTally } from '../../contracts/health-schemas.ts';
import type { SettingsStore } from '../db/settings-store.ts';

const KEY = 'operations.refused';

/** Where an operation the console could never store came from. */
export type RefusedVia = NonNullable<RefusedOperationsTally['last_via']>;

/**
 * Operations from Catena that the console refused for a reason that will never change (a time no
 * calendar has, a payload nested past any sense, a shape that is not an operation): counted, with
 * the last reason, in the store's settings, so admins see them in GET /api/health. The reason
 * names the field and the rule, never a value: it may be shown to anyone with admin rights.
 */
export class RefusedOperations {
  constructor(private readonly settings: SettingsStore) {}

  async record(via: RefusedVia, reason: string, count = 1): Promise<void> {
    await this.settings.update(KEY, refusedOperationsSchema, (tally) => ({
      total: (tally?.total ?? 0) + count,
      last_at: new Date().toISOString(),
      last_via: via,
      last_reason: reason.slice(0, 300),
    }));
  }

  async snapshot(): Promise<RefusedOperationsTally> {
    return (await this.settings.get(KEY, refusedOperationsSchema)) ?? { total: 0, last_at: null, last_via: null, last_reason: null };
  }
}

/** "data.0.created_at: a time between 1970 and 9999 (UTC)": the first issue of a zod error, without the value. */
export function describeIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return prefix ? `${prefix}: not an operation` : 'not an operation';
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return `${field}: ${issue.message}`;
}
