import type { Health } from '../../../../contracts/health-schemas.ts';

export type HealthLevel = 'checking' | 'ok' | 'upstream-down' | 'server-down';

/**
 * One word for the header from the latest poll. A failed /api/health means the console server
 * itself is not answering, whatever an older answer said.
 */
export function healthLevel(query: { data: Health | undefined; isError: boolean }): HealthLevel {
  if (query.isError) return 'server-down';
  if (!query.data) return 'checking';
  return query.data.upstream.reachable ? 'ok' : 'upstream-down';
}

export const healthLevelLabels: Record<HealthLevel, string> = {
  checking: 'Checking connections…',
  ok: 'Catena connected',
  'upstream-down': 'Catena unreachable',
  'server-down': 'Console server unreachable',
};

/** For narrow headers; the button's accessible name always carries the full label. */
export const healthLevelShortLabels: Record<HealthLevel, string> = {
  checking: 'Checking…',
  ok: 'Catena OK',
  'upstream-down': 'Catena down',
  'server-down': 'Server down',
};
