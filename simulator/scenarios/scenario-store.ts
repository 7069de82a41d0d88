import { newId } from '../lib/ids.ts';
import type { ConnectionRecord } from '../directory/directory-store.ts';
import type { TspName } from '../processing/tsp-profiles.ts';

export const SCENARIO_KINDS = ['outage', 'expired_credentials', 'flaky_network', 'slow'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

/**
 * A failure switched on for one connection or for every connection of one TSP.
 * - outage: every attempt fails `tsp` (the TSP answers 503);
 * - expired_credentials: every attempt fails `auth` (401 from the TSP), no retry;
 * - flaky_network: the first 2 attempts of each operation fail `network`, then it succeeds;
 * - slow: TSP latency × 5.
 * Scenarios are read at every attempt, so switching one off lets pending retries heal.
 */
export interface Scenario {
  id: string;
  scenario: ScenarioKind;
  connection_id: string | null;
  tsp: TspName | null;
  created_at: number;
}

export class ScenarioStore {
  private scenarios: Scenario[] = [];

  constructor(private readonly seeded: readonly Scenario[]) {
    this.reset();
  }

  reset(): void {
    this.scenarios = this.seeded.map((s) => ({ ...s }));
  }

  list(): readonly Scenario[] {
    return this.scenarios;
  }

  /** Adds a scenario; the same scenario on the same target is not added twice (the existing one is returned). */
  add(scenario: ScenarioKind, target: { connection_id: string } | { tsp: TspName }, now: number): { scenario: Scenario; created: boolean } {
    const connectionId = 'connection_id' in target ? target.connection_id : null;
    const tsp = 'tsp' in target ? target.tsp : null;
    const existing = this.scenarios.find((s) => s.scenario === scenario && s.connection_id === connectionId && s.tsp === tsp);
    if (existing) return { scenario: existing, created: false };
    const created: Scenario = { id: newId(), scenario, connection_id: connectionId, tsp, created_at: now };
    this.scenarios.push(created);
    return { scenario: created, created: true };
  }

  remove(id: string): boolean {
    const before = this.scenarios.length;
    this.scenarios = this.scenarios.filter((s) => s.id !== id.toLowerCase());
    return this.scenarios.length !== before;
  }

  clear(): void {
    this.scenarios = [];
  }

  /** The scenario kinds that apply to a connection right now. */
  activeFor(connection: ConnectionRecord): Set<ScenarioKind> {
    return new Set(this.scenarios.filter((s) => s.connection_id === connection.id || s.tsp === connection.tsp).map((s) => s.scenario));
  }
}
