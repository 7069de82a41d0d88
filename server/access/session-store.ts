import { createHash, randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '../db/database.ts';

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
    private readonly db: SqliteDatabase,
    private readonly timeouts: SessionTimeouts,
  ) {}

  /** A brand-new session (never one the browser brought along): its token and CSRF token. */
  create(accountId: string): { token: string; csrfToken: string } {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = new Date().toISOString();
    this.db
      .prepare('INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)')
      .run(hashToken(token), accountId, csrfToken, now, now);
    return { token, csrfToken };
  }

  /** The live session for `token`, refreshing its idle clock; null if unknown or expired (then removed). */
  find(token: string): ActiveSession | null {
    const tokenHash = hashToken(token);
    const row = this.db.prepare('SELECT account_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?').get(tokenHash) as
      | { account_id: string; csrf_token: string; created_at: string; last_seen_at: string }
      | undefined;
    if (!row) return null;
    const now = Date.now();
    if (now - Date.parse(row.last_seen_at) > this.timeouts.idleMs || now - Date.parse(row.created_at) > this.timeouts.absoluteMs) {
      this.end(token);
      return null;
    }
    if (now - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(new Date(now).toISOString(), tokenHash);
    }
    return { tokenHash, accountId: row.account_id, csrfToken: row.csrf_token };
  }

  end(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }

  /** Drops every session past its time; called now and then so the table does not grow. */
  sweep(): void {
    const now = Date.now();
    this.db
      .prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?')
      .run(new Date(now - this.timeouts.idleMs).toISOString(), new Date(now - this.timeouts.absoluteMs).toISOString());
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
