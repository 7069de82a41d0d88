import { newAccessToken } from '../lib/ids.ts';

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

export type TokenCheck = { ok: true; clientId: string } | { ok: false; reason: 'unknown' | 'expired' };

/** Access tokens issued by the simulated Keycloak. They survive POST /_sim/reset so a running console keeps working. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(clientId: string, ttlSeconds: number, now = Date.now()): string {
    if (this.tokens.size > 1000) this.purge(now);
    const token = newAccessToken();
    this.tokens.set(token, { clientId, expiresAt: now + ttlSeconds * 1000 });
    return token;
  }

  check(token: string, now = Date.now()): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (issued.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, clientId: issued.clientId };
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  private purge(now: number): void {
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
  }
}
