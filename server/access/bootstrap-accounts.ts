import type { FastifyBaseLogger } from 'fastify';
import type { Role } from '../../contracts/access-schemas.ts';
import { StoreRefusal } from '../db/store-refusal.ts';
import type { AccountStore } from './account-store.ts';

/** The demo accounts that exist when the console runs against the simulator (shown on the sign-in page). */
export const DEMO_ACCOUNTS: { email: string; password: string; role: Role; name: string }[] = [
  { email: 'admin@fleetops.demo', password: 'demo-admin-password', role: 'admin', name: 'Avery Admin' },
  { email: 'dispatcher@fleetops.demo', password: 'demo-dispatcher-password', role: 'dispatcher', name: 'Dana Dispatcher' },
  { email: 'support@fleetops.demo', password: 'demo-support-password', role: 'support', name: 'Sam Support' },
  { email: 'viewer@fleetops.demo', password: 'demo-viewer-password', role: 'viewer', name: 'Vic Viewer' },
];

/**
 * Makes the accounts the environment asks for: the first admin from CONSOLE_ADMIN_EMAIL /
 * CONSOLE_ADMIN_PASSWORD (created once; never overwritten), and the demo accounts with the
 * simulator. Without either and with no account at all, says how to make one.
 */
export async function bootstrapAccounts(
  accounts: AccountStore,
  options: { admin: { email: string; password: string } | null; demo: boolean; log: FastifyBaseLogger },
): Promise<void> {
  if (options.admin && !(await accounts.findByEmail(options.admin.email))) {
    if (await createUnlessTaken(accounts, { email: options.admin.email, name: 'Administrator', role: 'admin', password: options.admin.password })) {
      options.log.info({ email: options.admin.email }, 'created the first admin account');
    }
  }
  if (options.demo) {
    for (const demo of DEMO_ACCOUNTS) if (!(await accounts.findByEmail(demo.email))) await createUnlessTaken(accounts, demo);
  }
  if ((await accounts.count()) === 0) {
    options.log.warn('no accounts yet: set CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD, or run `npm run create-admin`');
  }
}

/**
 * Servers starting together on one store race to make the same account: the one that finds it
 * made meanwhile (the email taken) has nothing left to do. Returns whether this one made it.
 */
async function createUnlessTaken(accounts: AccountStore, account: Parameters<AccountStore['create']>[0]): Promise<boolean> {
  try {
    await accounts.create(account);
    return true;
  } catch (error) {
    if (error instanceof StoreRefusal && error.code === 'email_taken') return false;
    throw error;
  }
}
