import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import { firstOf } from '../db/query.ts';

export type SessionTimeouts = { idleMs: number; absoluteMs: number };

export type ActiveSession = { tokenHash: string; accountId: string; csrfToken: string };

/** Seen-at is written at most this often, so polling does not turn every read into a write. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions. The browser holds only a random token; the store keeps its hash, the
 * account and the CSRF token. A session ends when signed out, after `idleMs` without a request,
 * or `absoluteMs` after sign-in, whichever comes first.
 */
export class SessionStore {
  constructor(
    private readonly store: StoreDatabase,
    private readonly timeouts: SessionTimeouts,
  ) {}

  /** A brand-new session (never one the browser brought along): its token and CSRF token. */
  async create(accountId: string): Promise<{ token: string; csrfToken: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = new Date().toISOString();
    await sql`INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at)
              VALUES (${hashToken(token)}, ${accountId}, ${csrfToken}, ${now}, ${now})`.execute(this.store.db);
    return { token, csrfToken };
  }

  /** The live session for `token`, refreshing its idle clock; null if unknown or expired (then removed). */
  async find(token: string): Promise<ActiveSession | null> {
    const tokenHash = hashToken(token);
    const row = await firstOf(
      this.store.db,
      sql<{ account_id: string; csrf_token: string; created_at: string; last_seen_at: string }>`
        SELECT account_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ${tokenHash}`,
    );
    if (!row) return null;
    const now = Date.now();
    if (now - Date.parse(row.last_seen_at) > this.timeouts.idleMs || now - Date.parse(row.created_at) > this.timeouts.absoluteMs) {
      await this.end(token);
      return null;
    }
    if (now - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
      await sql`UPDATE sessions SET last_seen_at = ${new Date(now).toISOString()} WHERE token_hash = ${tokenHash}`.execute(this.store.db);
    }
    return { tokenHash, accountId: row.account_id, csrfToken: row.csrf_token };
  }

  async end(token: string): Promise<void> {
    await sql`DELETE FROM sessions WHERE token_hash = ${hashToken(token)}`.execute(this.store.db);
  }

  /** Drops every session past its time; called now and then so the table does not grow. */
  async sweep(): Promise<void> {
    const now = Date.now();
    await sql`DELETE FROM sessions WHERE last_seen_at < ${new Date(now - this.timeouts.idleMs).toISOString()}
              OR created_at < ${new Date(now - this.timeouts.absoluteMs).toISOString()}`.execute(this.store.db);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
