import type { DemoConnection, DemoScenario, DemoScenarioOn } from '../../../contracts/demo-schemas.ts';
import { tspDisplayName } from '../../lib/tsp-name.ts';

export const scenarioWords: Record<DemoScenario, { label: string; effect: string }> = {
  outage: { label: 'Outage', effect: 'every write fails: the provider answers 503, Catena retries, then gives up' },
  expired_credentials: { label: 'Expired credentials', effect: 'every write fails at once with an auth error, no retry' },
  flaky_network: { label: 'Flaky network', effect: 'the first two attempts of each write fail, then it succeeds' },
  slow: { label: 'Slow', effect: 'writes take five times as long' },
};

/** "Prairie Haulers (Geotab)" or "Geotab" (every connection of the TSP). */
export function targetName(scenario: Pick<DemoScenarioOn, 'connection_id' | 'tsp'>, connections: readonly DemoConnection[]): string {
  if (scenario.tsp) return tspDisplayName(scenario.tsp);
  const connection = connections.find((c) => c.id === scenario.connection_id);
  return connection ? `${connection.fleet_name} (${tspDisplayName(connection.tsp)})` : 'a connection no longer there';
}

/** "Outage: on for Geotab". */
export function scenarioSentence(scenario: DemoScenarioOn, connections: readonly DemoConnection[]): string {
  return `${scenarioWords[scenario.scenario].label}: on for ${targetName(scenario, connections)}`;
}
