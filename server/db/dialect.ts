import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Tables } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

/**
 * Everything the stores write differently for SQLite and PostgreSQL, and nothing else: the
 * database's clock, JSON lookups, full-text search, row order of insertion, locking, and which
 * errors mean "this can never be stored". Every store is written once over these (decision 0040).
 */
export interface Dialect {
  readonly engine: Engine;
  /** The database's clock as ISO-8601 UTC text with milliseconds: one clock for every server. */
  now(): RawBuilder<string>;
  /** The database's clock `ms` from now (negative: ago), as ISO text. */
  nowPlus(ms: number): RawBuilder<string>;
  /** The text of a top-level field of a JSON text column (indexed for `recipient_id` and `sender_id`). */
  jsonText(column: string, field: 'recipient_id' | 'sender_id'): RawBuilder<string | null>;
  /** Ids of the newest `limit` operations whose words match all of `words` (the last one as a prefix). */
  operationsWithWords(words: readonly string[], limit: number): RawBuilder<{ id: string }>;
  /** Ids of the records whose name matches all of `words` (the last one as a prefix). */
  recordsNamed(words: readonly string[]): RawBuilder<{ id: string }>;
  /**
   * `column` is one of the ids `ids` selects: a search's candidates, from a few to some thousands.
   * PostgreSQL collects them first and probes the primary key for each; as `IN`, its planner
   * guesses their number from statistics that cannot know it, and read the whole table for a
   * word found in a thousand messages (decision 0042).
   */
  idIn(column: RawBuilder<unknown>, ids: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * `EXISTS (subquery)` checked for each row as the outer query reads it (in its index order, up
   * to its LIMIT), never turned into a join over every match: PostgreSQL would otherwise gather
   * and sort all of them. SQLite checks EXISTS per row already.
   */
  existsPerRow(subquery: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * Whether a statement runs on the server's own thread (SQLite), holding the event loop until it
   * ends: long counts are then cut into short statements (decision 0013). PostgreSQL runs them in
   * its own processes, where one statement costs less than a round trip per slice (decision 0042).
   */
  readonly holdsEventLoop: boolean;
  /** A column that orders `operation_links` rows as they were inserted. */
  readonly linkOrder: RawBuilder<number>;
  /** Appended to a SELECT that claims rows: other servers skip what one server is claiming. */
  readonly skipLocked: RawBuilder<unknown>;
  /**
   * Within a transaction, waits until no other transaction holds `key` (until this one ends).
   * SQLite has one writer at a time already; PostgreSQL takes a transaction-scoped advisory lock.
   */
  lock(trx: Kysely<Tables>, key: string): Promise<void>;
  /** Whether the error is a unique index refusing a second row. */
  isUniqueViolation(error: unknown): boolean;
  /**
   * Whether writing failed because of what is written (so writing it again fails again), rather
   * than the store's state (busy, disk full, connection lost).
   */
  isPermanentWriteError(error: unknown): boolean;
  /** Refreshes the planner's statistics. */
  optimize(db: Kysely<Tables>): Promise<void>;
}

const ISO = `'%Y-%m-%dT%H:%M:%fZ'`;

export const sqliteDialect: Dialect = {
  engine: 'sqlite',
  now: () => sql<string>`strftime(${sql.raw(ISO)}, 'now')`,
  nowPlus: (ms) => sql<string>`strftime(${sql.raw(ISO)}, 'now', ${`${ms / 1000} seconds`})`,
  jsonText: (column, field) => sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${field}`)})`,
  operationsWithWords: (words, limit) => sql<{ id: string }>`SELECT id FROM operations WHERE rowid IN (
    SELECT rowid FROM operations_fts WHERE operations_fts MATCH ${fts5Query(words)} ORDER BY rowid DESC LIMIT ${sql.lit(limit)})`,
  recordsNamed: (words) => sql<{ id: string }>`SELECT id FROM record_names WHERE rowid IN (
    SELECT rowid FROM record_names_fts WHERE record_names_fts MATCH ${fts5Query(words)})`,
  idIn: (column, ids) => sql`${column} IN (${ids})`,
  existsPerRow: (subquery) => sql`EXISTS (${subquery})`,
  holdsEventLoop: true,
  linkOrder: sql<number>`rowid`,
  skipLocked: sql``,
  lock: async () => undefined,
  isUniqueViolation: (error) => codeOf(error) === 'SQLITE_CONSTRAINT_UNIQUE' || codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  isPermanentWriteError: (error) => {
    const code = codeOf(error);
    const message = error instanceof Error ? error.message : '';
    return (
      code.startsWith('SQLITE_CONSTRAINT') ||
      code === 'SQLITE_TOOBIG' ||
      code === 'SQLITE_MISMATCH' ||
      (code === 'SQLITE_ERROR' && /malformed JSON|JSON cannot hold/i.test(message))
    );
  },
  optimize: async (db) => {
    await sql`PRAGMA optimize=0x10002`.execute(db);
  },
};

const PG_ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export const postgresDialect: Dialect = {
  engine: 'postgres',
  // clock_timestamp, not now(): now() stands still for a whole transaction.
  now: () => sql<string>`to_char(clock_timestamp() AT TIME ZONE 'UTC', ${sql.raw(PG_ISO)})`,
  nowPlus: (ms) => sql<string>`to_char((clock_timestamp() + make_interval(secs => ${ms / 1000})) AT TIME ZONE 'UTC', ${sql.raw(PG_ISO)})`,
  // The expression the indexes of the baseline migration are built on.
  jsonText: (column, field) => sql<string | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(field)})`,
  operationsWithWords: (words, limit) => sql<{ id: string }>`SELECT id FROM operations
    WHERE ${sql.raw(postgresWords('message_text'))} @@ to_tsquery('simple', ${tsQuery(words)})
    ORDER BY created_at DESC LIMIT ${sql.lit(limit)}`,
  recordsNamed: (words) =>
    sql<{ id: string }>`SELECT id FROM record_names WHERE ${sql.raw(postgresWords('name'))} @@ to_tsquery('simple', ${tsQuery(words)})`,
  idIn: (column, ids) => sql`${column} = ANY(ARRAY(${ids}))`,
  // OFFSET 0 keeps the planner from pulling the subquery up into a semi-join.
  existsPerRow: (subquery) => sql`EXISTS (${subquery} OFFSET 0)`,
  holdsEventLoop: false,
  linkOrder: sql<number>`seq`,
  skipLocked: sql`FOR UPDATE SKIP LOCKED`,
  lock: async (trx, key) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  },
  isUniqueViolation: (error) => codeOf(error) === '23505',
  // Class 22 (data exception: an invalid JSON text, a number out of range), 23 (integrity) and 54
  // (a program limit: a value too long for an index entry, which SQLite would hold).
  isPermanentWriteError: (error) => /^(2[23]|54)/.test(codeOf(error)),
  optimize: async (db) => {
    await sql`ANALYZE`.execute(db);
  },
};

/** FTS5: every word must occur, the last may be a prefix; words are only letters and digits, quoted. */
function fts5Query(words: readonly string[]): string {
  return words.map((word, index) => (index === words.length - 1 ? `"${word}"*` : `"${word}"`)).join(' ');
}

/** tsquery: the same, in PostgreSQL's syntax (words are only letters and digits, so no quoting is needed). */
function tsQuery(words: readonly string[]): string {
  return words.map((word, index) => (index === words.length - 1 ? `${foldAccents(word)}:*` : foldAccents(word))).join(' & ');
}

/**
 * What PostgreSQL searches a text by, made to split and fold as FTS5's unicode61 tokenizer does on
 * SQLite: punctuation separates words (PostgreSQL's parser would keep "ana@example.com",
 * "dock/12" or "gate-7" whole), and common accented Latin letters are their plain ones ("Café"
 * is found by "cafe"). The PostgreSQL migrations build their indexes on exactly this expression;
 * changing it needs a new migration that rebuilds them.
 */
export function postgresWords(column: string): string {
  return `to_tsvector('simple', translate(lower(coalesce(${column}, '')), '${(ACCENTED + SEPARATORS).replaceAll("'", "''")}', '${PLAIN}${' '.repeat(SEPARATORS.length)}'))`;
}

const ACCENTED_LOWER = 'àáâãäåāăąèéêëēĕėęěìíîïĩīĭįòóôõöōŏőùúûüũūŭůűųýÿçćĉċčñńņňśŝşšźżžďťľĺŕř';
/** With their capitals: `lower()` on byte-ordered ("C") text lowers ASCII letters only. */
const ACCENTED = ACCENTED_LOWER + ACCENTED_LOWER.toUpperCase();
/** Each accented letter, small, without its accent (NFD's first character). */
const PLAIN = [...ACCENTED].map((letter) => letter.normalize('NFD')[0]?.toLowerCase() ?? letter).join('');
const SEPARATORS = `@./-_:,;!?()[]{}"'#&+*=<>|\\~^$%\``;

function foldAccents(word: string): string {
  return [...word]
    .map((letter) => {
      const at = ACCENTED.indexOf(letter);
      return at === -1 ? letter : PLAIN[at];
    })
    .join('');
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}
