import { randomUUID } from 'node:crypto';
import { accountSchema, type Account, type Role } from '../../contracts/access-schemas.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
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
  constructor(private readonly db: SqliteDatabase) {}

  count(): number {
    return Number(this.db.prepare('SELECT COUNT(*) FROM accounts').pluck().get());
  }

  list(): Account[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY email').all() as Row[]).map(toAccount);
  }

  get(id: string): Account | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as Row | undefined;
    return row ? toAccount(row) : null;
  }

  findByEmail(email: string): AccountWithHash | null {
    const row = this.db.prepare('SELECT * FROM accounts WHERE email = ?').get(email.trim().toLowerCase()) as Row | undefined;
    return row ? { ...toAccount(row), password_hash: row.password_hash } : null;
  }

  async create(input: { email: string; name: string; role: Role; password: string }): Promise<Account> {
    const now = new Date().toISOString();
    const id = randomUUID();
    const passwordHash = await hashPassword(input.password);
    try {
      this.db
        .prepare('INSERT INTO accounts (id, email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, input.email.trim().toLowerCase(), input.name, input.role, passwordHash, now, now);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new HttpError(409, 'email_taken', `An account for ${input.email} exists already.`, { field: 'email' });
      }
      throw error;
    }
    const account = this.get(id);
    if (!account) throw new Error('account vanished');
    return account;
  }

  async update(id: string, change: { role?: Role | undefined; disabled?: boolean | undefined; name?: string | undefined; password?: string | undefined }): Promise<Account> {
    const current = this.get(id);
    if (!current) throw new HttpError(404, 'account_not_found', 'No such account.');
    const now = new Date().toISOString();
    const passwordHash = change.password ? await hashPassword(change.password) : null;
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE accounts SET role = ?, name = ?, disabled_at = ?, password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?`,
        )
        .run(
          change.role ?? current.role,
          change.name ?? current.name,
          change.disabled === undefined ? (current.disabled ? now : null) : change.disabled ? now : null,
          passwordHash,
          now,
          id,
        );
      // Whoever is disabled, demoted or given a new password signs in again.
      if (change.disabled || change.role || change.password) this.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(id);
    })();
    const updated = this.get(id);
    if (!updated) throw new Error('account vanished');
    return updated;
  }

  recordSignIn(id: string): void {
    this.db.prepare('UPDATE accounts SET last_sign_in_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }

  activeAdminCount(): number {
    return Number(this.db.prepare(`SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL`).pluck().get());
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
