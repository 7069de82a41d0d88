/**
 * What the console knows of each TSP's message limits. Catena publishes none of its own: a text
 * over a TSP's limit is accepted by Catena and then fails with `validation` at the TSP. Checking
 * it up front saves the dispatcher a round trip. Samsara's limit is published; the others are
 * the values the simulator plays (and to be corrected as the team learns the real ones).
 * A TSP not listed here has no known limit; only the console's hard cap applies.
 */
const MESSAGE_TEXT_MAX: Readonly<Record<string, number>> = {
  samsara: 2500,
  motive: 1000,
  geotab: 1000,
};

export function messageTextMax(tsp: string): number | null {
  return MESSAGE_TEXT_MAX[tsp] ?? null;
}
