import type { Kysely, RawBuilder } from 'kysely';
import type { Tables } from './schema.ts';

/** A Kysely instance or one of its transactions: what a store runs a statement on. */
export type Executor = Kysely<Tables>;

/** The rows a statement returns. */
export async function rowsOf<T>(db: Executor, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/** The first row a statement returns, or undefined. */
export async function firstOf<T>(db: Executor, query: RawBuilder<T>): Promise<T | undefined> {
  return (await query.execute(db)).rows[0];
}

/** How many rows a statement inserted, changed or deleted. */
export async function changesOf(db: Executor, query: RawBuilder<unknown>): Promise<number> {
  return Number((await query.execute(db)).numAffectedRows ?? 0n);
}
