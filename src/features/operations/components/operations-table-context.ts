import { createContext, useContext } from 'react';
import type { ConnectionHealth } from '../../../../contracts/directory-schemas.ts';
import type { TimeDisplay } from '../../../lib/format.ts';
import type { Person } from '../message-people.ts';

/**
 * A connection as the page shows it: its fleet's name and its TSP, spelled as the TSP does, and
 * its health when known (the connections feature's, composed in by the app).
 */
export type ConnectionOption = { id: string; name: string; tsp: string; health?: Pick<ConnectionHealth, 'state' | 'reason'> };

/**
 * What the table's cells need besides their row: the clock (for "3 s ago"), the reader's time
 * display, and names for connection and people ids. One context, so columns can stay at module
 * scope (house style #9) and a tick of the clock re-renders only the rows on screen.
 */
export type OperationsTableContextValue = {
  now: number;
  timeDisplay: TimeDisplay;
  connections: ReadonlyMap<string, ConnectionOption>;
  people: ReadonlyMap<string, Person>;
};

export const OperationsTableContext = createContext<OperationsTableContextValue>({
  now: 0,
  timeDisplay: 'relative',
  connections: new Map(),
  people: new Map(),
});

export function useOperationsTableContext(): OperationsTableContextValue {
  return useContext(OperationsTableContext);
}
