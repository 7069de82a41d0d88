import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { SettingsStore } from '../db/settings-store.ts';
import { readCookie } from './access-control.ts';

const KEY_SETTING = 'access.device_cookie_key';
const VALUE_PATTERN = /^v1\.[0-9a-f-]{36}\.\d{10,16}\.[A-Za-z0-9_-]{43}$/;
const MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

/**
 * "This browser signed in to this account before": an HttpOnly cookie set at a successful sign-in,
 * signed with a key only the server knows (kept in its store), naming the account and when. It
 * grants nothing by itself; it only exempts its holder from the per-account sign-in limit that
 * guesses from many addresses would otherwise spend (decision 0011).
 */
export class DeviceCookies {
  private readonly key: Buffer;
  readonly name: string;

  /** The signing key is the store's, made by the first server that needed one: every server knows every device. */
  static async load(settings: SettingsStore, secure: boolean): Promise<DeviceCookies> {
    const schema = z.string().regex(/^[0-9a-f]{64}$/);
    const key = (await settings.get(KEY_SETTING, schema)) ?? (await settings.setOnce(KEY_SETTING, randomBytes(32).toString('hex'), schema));
    if (!key) throw new Error('the device cookie key could not be stored');
    return new DeviceCookies(Buffer.from(key, 'hex'), secure);
  }

  private constructor(
    key: Buffer,
    private readonly secure: boolean,
  ) {
    this.key = key;
    // `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
    this.name = secure ? '__Host-fleetops_device' : 'fleetops_device';
  }

  /** The Set-Cookie header that marks this browser as a known device of `accountId`. */
  issue(accountId: string, now = Date.now()): string {
    const body = `v1.${accountId}.${now}`;
    return `${this.name}=${body}.${this.sign(body)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${MAX_AGE_SECONDS}${this.secure ? '; Secure' : ''}`;
  }

  /** Whether the request carries a valid, unexpired device cookie of `accountId`. */
  isKnownDevice(cookieHeader: string | undefined, accountId: string | null, now = Date.now()): boolean {
    if (!accountId) return false;
    const value = readCookie(cookieHeader, this.name, VALUE_PATTERN);
    if (!value) return false;
    const cut = value.lastIndexOf('.');
    const body = value.slice(0, cut);
    const given = Buffer.from(value.slice(cut + 1));
    const expected = Buffer.from(this.sign(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const [, account, issuedAt] = body.split('.');
    return account === accountId && now - Number(issuedAt) < MAX_AGE_SECONDS * 1000;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
