import type { RawBuilder } from 'kysely';
import type { StoreDatabase } from '../../server/db/database.ts';

/** The first column of the first row a query returns: a test looking straight at the store (a count, a column). */
export async function scalarOf(database: Pick<StoreDatabase, 'db'>, query: RawBuilder<unknown>): Promise<unknown> {
  const { rows } = await query.execute(database.db);
  const [row] = rows as Record<string, unknown>[];
  return row ? Object.values(row)[0] : undefined;
}
