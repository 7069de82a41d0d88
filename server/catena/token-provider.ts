import { CatenaError } from './catena-error.ts';
import { tokenResponseSchema } from './catena-schemas.ts';

type TokenProviderOptions = {
  authUrl: string;
  clientId: string;
  clientSecret: string;
  fetchImpl?: typeof fetch;
  /** Renew this long before `expires_in` runs out, so a token never expires mid-request. */
  renewBeforeMs?: number;
  timeoutMs?: number;
};

/**
 * OAuth client-credentials tokens for Catena. One token is shared by every request and renewed
 * shortly before it expires; concurrent callers share one in-flight request.
 */
export class TokenProvider {
  private token: { value: string; renewAt: number } | null = null;
  private inFlight: Promise<string> | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: TokenProviderOptions) {
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  async get(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Forget the cached token (Catena answered 401 with it). */
  invalidate(rejected?: string): void {
    if (!rejected || this.token?.value === rejected) this.token = null;
  }

  private async fetchToken(): Promise<string> {
    const { authUrl, clientId, clientSecret } = this.options;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'organization',
    });
    let response: Response;
    try {
      response = await this.fetchImpl(`${authUrl}/realms/catena/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new CatenaError('network', `Could not reach Catena's auth server: ${describeFetchError(error)}`);
    }
    if (response.status === 401 || response.status === 400) {
      throw new CatenaError(
        'http',
        "Catena refused the console's client credentials (check CATENA_CLIENT_ID and CATENA_CLIENT_SECRET).",
        response.status,
      );
    }
    if (!response.ok) {
      throw new CatenaError('http', `Catena's auth server answered ${response.status}.`, response.status);
    }
    const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new CatenaError('invalid_response', "Catena's auth server sent a token response the console cannot read.");
    const lifetimeMs = parsed.data.expires_in * 1000;
    const renewBefore = Math.min(this.options.renewBeforeMs ?? 60_000, lifetimeMs / 2);
    this.token = { value: parsed.data.access_token, renewAt: Date.now() + lifetimeMs - renewBefore };
    return parsed.data.access_token;
  }
}

export function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    return cause?.code ?? error.message;
  }
  return 'unknown error';
}
