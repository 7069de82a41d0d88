/**
 * How each simulated TSP behaves. Only samsara's text limit is published (2,500 characters);
 * the other numbers are this project's choices (docs/decisions/0101-simulator-tsp-profiles.md).
 * Latency is per attempt, before the time scale; a ±30 % jitter keeps timelines from looking machine-made.
 */
export interface TspProfile {
  name: TspName;
  /** Human name for error details. */
  label: string;
  latencyMs: number;
  /** Writes per second the TSP accepts per connection (its API credentials); over it, work waits. */
  ratePerSecond: number;
  maxMessageChars: number;
}

export const TSP_PROFILES = {
  samsara: { name: 'samsara', label: 'Samsara', latencyMs: 300, ratePerSecond: 10, maxMessageChars: 2500 },
  motive: { name: 'motive', label: 'Motive', latencyMs: 500, ratePerSecond: 5, maxMessageChars: 1000 },
  geotab: { name: 'geotab', label: 'Geotab', latencyMs: 700, ratePerSecond: 4, maxMessageChars: 1000 },
} as const satisfies Record<string, TspProfile>;

export type TspName = 'samsara' | 'motive' | 'geotab';
export const TSP_NAMES_SIMULATED = ['samsara', 'motive', 'geotab'] as const satisfies readonly TspName[];

export function tspProfile(name: TspName): TspProfile {
  return TSP_PROFILES[name];
}

/** A message id as the TSP would hand it back (Catena's `source_id`). */
export function newMessageSourceId(tsp: TspName, random: { digits(n: number): string; hex(n: number): string }): string {
  switch (tsp) {
    case 'samsara':
      return random.digits(15);
    case 'motive':
      return random.digits(9);
    case 'geotab':
      return `b${random.hex(6).toUpperCase()}`;
  }
}
