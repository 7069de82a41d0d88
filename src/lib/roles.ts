import type { Role } from '../../contracts/access-schemas.ts';

/** How each role reads on screen (the sign-in page, the header, the accounts table). */
export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  dispatcher: 'Dispatcher',
  support: 'Support',
  viewer: 'Viewer',
};

/** What each role may do, in words; the `capabilities` table in contracts/ is the rule. */
export const roleSummaries: Record<Role, string> = {
  admin: 'Everything, plus accounts and the audit log',
  dispatcher: 'Compose messages and broadcasts, resend failures',
  support: 'Investigate operations and resend failures',
  viewer: 'Look at everything, change nothing',
};
