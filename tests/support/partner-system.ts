import type { HttpResult, RequestOptions } from '../../simulator/test-support/sim-harness.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from './console-server.ts';

/**
 * A partner's own back end writing to Catena (the simulator) directly, with the same client
 * credentials as the console: its operations reach the console only by webhook or reconciler.
 */
export function partnerSystem(catenaUrl: string) {
  let token: string | undefined;
  const getToken = async () => {
    if (token) return token;
    const response = await fetch(`${catenaUrl}/realms/catena/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: SIM_CLIENT_ID,
        client_secret: SIM_CLIENT_SECRET,
        scope: 'organization',
      }),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
    return token;
  };
  return {
    async api<T = unknown>(path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
      const response = await fetch(`${catenaUrl}${path}`, {
        method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${await getToken()}`, ...(options.json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: options.json === undefined ? null : JSON.stringify(options.json),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: (text ? JSON.parse(text) : null) as T };
    },
  };
}
