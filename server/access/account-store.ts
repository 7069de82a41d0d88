import { randomUUID } from 'node:crypto';
import { accountSchema, type Account, type Role } from '../../contracts/access-schemas.ts';
import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { firstOf, rowsOf } from '../db/query.ts';
import { StoreRefusal } from '../db/store-refusal.ts';
import { hashPassword } from './password.ts';

type Row = {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
};

export type AccountWithHash = Account & { password_hash: string };

export class AccountStore {
  constructor(private readonly store: StoreDatabase) {}

  async count(): Promise<number> {
    return (await firstOf(this.store.db, sql<{ n: number }>`SELECT COUNT(*) AS n FROM accounts`))?.n ?? 0;
  }

  async list(): Promise<Account[]> {
    return (await rowsOf(this.store.db, sql<Row>`SELECT * FROM accounts ORDER BY email`)).map(toAccount);
  }

  async get(id: string): Promise<Account | null> {
    const row = await firstOf(this.store.db, sql<Row>`SELECT * FROM accounts WHERE id = ${id}`);
    return row ? toAccount(row) : null;
  }

  async findByEmail(email: string): Promise<AccountWithHash | null> {
    const row = await firstOf(this.store.db, sql<Row>`SELECT * FROM accounts WHERE email = ${email.trim().toLowerCase()}`);
    return row ? { ...toAccount(row), password_hash: row.password_hash } : null;
  }

  /** Refuses (`email_taken`) an email another account has. */
  async create(input: { email: string; name: string; role: Role; password: string }): Promise<Account> {
    const now = new Date().toISOString();
    const id = randomUUID();
    const passwordHash = await hashPassword(input.password);
    try {
      await sql`INSERT INTO accounts (id, email, name, role, password_hash, created_at, updated_at)
                VALUES (${id}, ${input.email.trim().toLowerCase()}, ${input.name}, ${input.role}, ${passwordHash}, ${now}, ${now})`.execute(
        this.store.db,
      );
    } catch (error) {
      if (this.store.dialect.isUniqueViolation(error)) {
        throw new StoreRefusal('email_taken', `An account for ${input.email} exists already.`, { field: 'email' });
      }
      throw error;
    }
    const account = await this.get(id);
    if (!account) throw new Error('account vanished');
    return account;
  }

  /**
   * Refuses an id no account has (`account_not_found`), and a change that would leave no active
   * admin (`last_admin`) — checked in the transaction that writes it, under a lock every server
   * takes, so two admins demoting each other at once cannot both succeed.
   */
  async update(
    id: string,
    change: { role?: Role | undefined; disabled?: boolean | undefined; name?: string | undefined; password?: string | undefined },
  ): Promise<Account> {
    const now = new Date().toISOString();
    const passwordHash = change.password ? await hashPassword(change.password) : null;
    await this.store.db.transaction().execute(async (trx) => {
      await this.store.dialect.lock(trx, 'accounts');
      const row = await firstOf(trx, sql<Row>`SELECT * FROM accounts WHERE id = ${id}`);
      if (!row) throw new StoreRefusal('account_not_found', 'No such account.');
      const current = toAccount(row);
      const losesAdmin =
        current.role === 'admin' && !current.disabled && (change.disabled === true || (change.role !== undefined && change.role !== 'admin'));
      if (losesAdmin) {
        const admins = await firstOf(trx, sql<{ n: number }>`SELECT COUNT(*) AS n FROM accounts WHERE role = 'admin' AND disabled_at IS NULL`);
        if ((admins?.n ?? 0) <= 1) throw new StoreRefusal('last_admin', 'This is the last active admin; make another admin first.');
      }
      const disabledAt = change.disabled === undefined ? (current.disabled ? now : null) : change.disabled ? now : null;
      await sql`UPDATE accounts SET role = ${change.role ?? current.role}, name = ${change.name ?? current.name}, disabled_at = ${disabledAt},
                  password_hash = COALESCE(${passwordHash}, password_hash), updated_at = ${now} WHERE id = ${id}`.execute(trx);
      // Whoever is disabled, demoted or given a new password signs in again.
      if (change.disabled || change.role || change.password) await sql`DELETE FROM sessions WHERE account_id = ${id}`.execute(trx);
    });
    const updated = await this.get(id);
    if (!updated) throw new Error('account vanished');
    return updated;
  }

  async recordSignIn(id: string): Promise<void> {
    await sql`UPDATE accounts SET last_sign_in_at = ${new Date().toISOString()} WHERE id = ${id}`.execute(this.store.db);
  }
}

function toAccount(row: Row): Account {
  return accountSchema.parse({
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_sign_in_at: row.last_sign_in_at,
  });
}
