import { randomUUID } from 'node:crypto';
import type { SignedIn } from './console-server.ts';

type Api = Pick<SignedIn, 'fetch'>;

/** A console route's answer as a test reads it: status, headers and the JSON body. */
export async function json(api: Api, route: string, init?: RequestInit) {
  const response = await api.fetch(route, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

/** A JSON POST with an Idempotency-Key (a new one unless given), as the SPA sends its writes. */
export function post(api: Api, route: string, body: unknown = {}, key: string = randomUUID()) {
  return json(api, route, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
}
