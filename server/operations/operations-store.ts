import { z } from 'zod';
import type {
  FailureCount,
  Operation,
  OperationDetail,
  OperationFacets,
  OperationFilters,
  OperationListQuery,
  OperationPage,
  OperationSummary,
  OperationTimeline,
  OperationWithLogs,
} from '../../contracts/operation-schemas.ts';
import { errorTypes, operationDetailSchema, operationSchema, operationWithLogsSchema, operationSortSchema, operationStatuses, sortOrderSchema } from '../../contracts/operation-schemas.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';
import { describeIssue } from './refused-operations.ts';

export type SeenVia = 'console' | 'webhook' | 'reconciler';

/**
 * The console's store of resource operations. The one narrow interface that routes, the webhook
 * receiver and the reconciler use, so that a PostgreSQL implementation can stand in for SQLite.
 */
export interface OperationsStore {
  /** Stores `op` unless the store already has a newer state of it. Returns whether it changed anything. */
  upsert(op: OperationWithLogs, seenVia: SeenVia): boolean;
  /** All of `ops`, in one transaction: all stored, or none. */
  upsertMany(ops: readonly OperationWithLogs[], seenVia: SeenVia): number;
  get(id: string): OperationDetail | null;
  /** The operations of `ids` that the store has (list items, without logs), in no particular order. */
  getMany(ids: readonly string[]): Operation[];
  list(filters: OperationFilters, page: OperationListQuery): OperationPage;
  summary(filters: OperationFilters): OperationSummary;
  /** Operations created in [from, to) per bucket, by status; counted a bucket at a time, letting other work in between. */
  timeline(filters: OperationFilters, range: { from: string; to: string; buckets: number }): Promise<OperationTimeline>;
  /** Records that `operationId` was sent to resend `resendOf`. */
  linkResend(operationId: string, resendOf: string): void;
  /**
   * Pending operations last updated in [`since`, `before`), most recent first: the reconciler asks
   * Catena about them one by one.
   */
  stalePending(since: string, before: string, limit: number): { id: string; connection_id: string }[];
  /** The id of the newest update of the same record (resource + resource_id) created after `op`, or null. */
  newerUpdateOf(op: RecordRef): string | null;
  /** Successful operations on the same record created before `op` (its create and updates), oldest first. */
  recordHistoryBefore(op: RecordRef, limit?: number): OperationWithLogs[];
  /** Which resources and operation types occur under the filters, with counts (each ignoring its own filter). */
  facets(filters: OperationFilters): OperationFacets;
  /** Failed operations since `from`, per connection and resource. */
  failuresByConnection(from: string): FailureCount[];
  /** Names of drivers, vehicles and trailers as the directory read them, for search by name. */
  rememberNames(names: readonly RecordName[]): void;
  /** The names the store knows for these ids. */
  namesOf(ids: readonly string[]): Map<string, RecordName>;
}

export type RecordRef = { id: string; resource: string; resource_id: string | null; created_at: string };
export type RecordName = { id: string; kind: 'user' | 'vehicle' | 'trailer'; connection_id: string; name: string };

type Row = {
  id: string;
  connection_id: string;
  partner_id: string;
  fleet_ref: string | null;
  source_name: string;
  resource: string;
  operation_type: string;
  status: string;
  resource_id: string | null;
  source_id: string | null;
  payload: string;
  logs: string;
  attempt_count: number;
  last_error_type: string | null;
  created_at: string;
  updated_at: string;
};

/** A keyset cursor: the sort it belongs to and the last row's sort value and id. */
const cursorSchema = z.object({ s: operationSortSchema, o: sortOrderSchema, v: z.string().min(1), i: z.string().min(1) });

export class SqliteOperationsStore implements OperationsStore {
  private readonly upsertStatement;
  private readonly getStatement;
  private readonly stalePendingStatement;
  private readonly resendOfStatement;
  private readonly resentAsStatement;
  private readonly originStatement;
  private readonly idStatement;
  private readonly fieldStatement;
  private readonly newerUpdateStatement;
  private readonly historyStatement;
  private readonly nameStatement;

  constructor(
    private readonly db: SqliteDatabase,
    /** Told of a stored row that no longer reads as an operation (kept by an older version): it is left out of answers. */
    private readonly onUnreadableRow: (id: string, reason: string) => void = () => undefined,
  ) {
    this.idStatement = db.prepare('INSERT OR IGNORE INTO operation_ids (value, operation_id) VALUES (?, ?)');
    this.fieldStatement = db.prepare('INSERT OR IGNORE INTO operation_fields (field, value, operation_id) VALUES (?, ?, ?)');
    this.newerUpdateStatement = db
      .prepare(
        `SELECT id FROM operations WHERE resource = @resource AND resource_id = @resource_id AND operation_type = 'update'
           AND (created_at > @created_at OR (created_at = @created_at AND id > @id)) ORDER BY created_at DESC, id DESC LIMIT 1`,
      )
      .pluck();
    this.historyStatement = db.prepare(
      `SELECT * FROM operations WHERE resource = @resource AND resource_id = @resource_id AND status = 'success'
         AND (created_at < @created_at OR (created_at = @created_at AND id < @id)) ORDER BY created_at DESC, id DESC LIMIT @limit`,
    );
    this.nameStatement = db.prepare(
      `INSERT INTO record_names (id, kind, connection_id, name) VALUES (@id, @kind, @connection_id, @name)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, connection_id = excluded.connection_id, name = excluded.name
       WHERE record_names.name <> excluded.name OR record_names.kind <> excluded.kind`,
    );
    // Newest `updated_at` wins. On a tie (same millisecond), the state with more attempts or a
    // final status wins, so a late "created" event can never undo a "failed" one.
    this.upsertStatement = db.prepare(`
      INSERT INTO operations (id, connection_id, partner_id, fleet_ref, source_name, resource, operation_type, status,
        resource_id, source_id, payload, logs, attempt_count, last_error_type, message_text, created_at, updated_at, seen_via, stored_at)
      VALUES (@id, @connection_id, @partner_id, @fleet_ref, @source_name, @resource, @operation_type, @status,
        @resource_id, @source_id, @payload, @logs, @attempt_count, @last_error_type, @message_text, @created_at, @updated_at, @seen_via, @stored_at)
      ON CONFLICT (id) DO UPDATE SET
        connection_id = excluded.connection_id, partner_id = excluded.partner_id, fleet_ref = excluded.fleet_ref,
        source_name = excluded.source_name, resource = excluded.resource, operation_type = excluded.operation_type,
        status = excluded.status, resource_id = excluded.resource_id, source_id = excluded.source_id,
        payload = excluded.payload, logs = excluded.logs, attempt_count = excluded.attempt_count,
        last_error_type = excluded.last_error_type, message_text = excluded.message_text,
        created_at = excluded.created_at, updated_at = excluded.updated_at, seen_via = excluded.seen_via,
        stored_at = excluded.stored_at
      WHERE excluded.updated_at > operations.updated_at
         OR (excluded.updated_at = operations.updated_at AND (
              excluded.attempt_count > operations.attempt_count
           OR (operations.status = 'pending' AND excluded.status <> 'pending')))
    `);
    this.getStatement = db.prepare('SELECT * FROM operations WHERE id = ?');
    // The detail is polled while an operation is pending: its statements are prepared once.
    this.resendOfStatement = db.prepare('SELECT resend_of FROM operation_links WHERE operation_id = ?').pluck();
    this.resentAsStatement = db.prepare('SELECT operation_id FROM operation_links WHERE resend_of = ? ORDER BY created_at').pluck();
    this.originStatement = db.prepare('SELECT account_name, broadcast_id, resend_batch_id FROM operation_origins WHERE operation_id = ?');
    this.stalePendingStatement = db.prepare(
      `SELECT id, connection_id FROM operations WHERE status = 'pending' AND updated_at >= ? AND updated_at < ? ORDER BY updated_at DESC LIMIT ?`,
    );
  }

  upsert(op: OperationWithLogs, seenVia: SeenVia): boolean {
    const keys = searchKeysOf(op);
    const result = this.upsertStatement.run({
      ...op,
      payload: JSON.stringify(op.payload),
      logs: JSON.stringify(op.logs),
      message_text: keys.words,
      seen_via: seenVia,
      stored_at: new Date().toISOString(),
    });
    if (result.changes === 0) return false;
    // Ids and fields only ever grow for one operation (a record id arrives with success): no delete needed.
    for (const value of keys.ids) this.idStatement.run(value, op.id);
    for (const [field, value] of keys.fields) this.fieldStatement.run(field, value, op.id);
    return true;
  }

  upsertMany(ops: readonly OperationWithLogs[], seenVia: SeenVia): number {
    return this.db.transaction(() => ops.reduce((changed, op) => changed + (this.upsert(op, seenVia) ? 1 : 0), 0))();
  }

  get(id: string): OperationDetail | null {
    const row = this.getStatement.get(id.toLowerCase()) as Row | undefined;
    if (!row) return null;
    const item = this.readRow(row);
    if (!item) return null;
    const resendOf = this.resendOfStatement.get(row.id);
    const resentAs = this.resentAsStatement.all(row.id);
    const origin = this.originStatement.get(row.id) as
      | { account_name: string | null; broadcast_id: string | null; resend_batch_id: string | null }
      | undefined;
    const detail = operationDetailSchema.safeParse({
      ...item,
      logs: parseJson(row.logs),
      resend_of: resendOf ?? null,
      resent_as: resentAs,
      sent_by: origin?.account_name ?? null,
      broadcast_id: origin?.broadcast_id ?? null,
      resend_batch_id: origin?.resend_batch_id ?? null,
    });
    if (!detail.success) {
      this.onUnreadableRow(row.id, describeIssue(detail.error, ''));
      return null;
    }
    return detail.data;
  }

  /** The row as a list item, or null (reported once per read) when what is stored is no operation. */
  private readRow(row: Row): Operation | null {
    const parsed = toListItem(row);
    if (parsed.success) return parsed.data;
    this.onUnreadableRow(row.id, describeIssue(parsed.error, ''));
    return null;
  }

  getMany(ids: readonly string[]): Operation[] {
    const found: Operation[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500).map((id) => id.toLowerCase());
      const rows = this.db.prepare(`SELECT * FROM operations WHERE id IN (${chunk.map(() => '?').join(', ')})`).all(...chunk) as Row[];
      for (const row of rows) {
        const item = this.readRow(row);
        if (item) found.push(item);
      }
    }
    return found;
  }

  linkResend(operationId: string, resendOf: string): void {
    const parent = resendOf.toLowerCase();
    this.db
      .prepare(
        `INSERT OR IGNORE INTO operation_links (operation_id, resend_of, chain_id, created_at)
         VALUES (?, ?, COALESCE((SELECT chain_id FROM operation_links WHERE operation_id = ?), ?), ?)`,
      )
      .run(operationId.toLowerCase(), parent, parent, parent, new Date().toISOString());
  }

  list(filters: OperationFilters, page: OperationListQuery): OperationPage {
    const where = buildWhere(filters);
    // Only these two names ever reach the SQL text; both are indexed with id as the tie-breaker.
    const column = page.sort === 'updated_at' ? 'o.updated_at' : 'o.created_at';
    const direction = page.order === 'asc' ? 'ASC' : 'DESC';
    if (page.cursor) {
      const cursor = decodeCursor(page.cursor);
      if (cursor.s !== page.sort || cursor.o !== page.order) {
        throw new HttpError(400, 'invalid_cursor', 'The cursor belongs to another sort order. Start again from the first page.');
      }
      where.clauses.push(`(${column}, o.id) ${direction === 'DESC' ? '<' : '>'} (@cursor_value, @cursor_id)`);
      where.params.cursor_value = cursor.v;
      where.params.cursor_id = cursor.i;
    }
    const sql = `SELECT o.* FROM operations o ${whereSql(where.clauses)} ORDER BY ${column} ${direction}, o.id ${direction} LIMIT @limit`;
    const rows = this.db.prepare(sql).all({ ...where.params, limit: page.limit + 1 }) as Row[];
    const pageRows = rows.slice(0, page.limit);
    // An unreadable row is left out; the cursor still follows the rows as stored, so paging goes on past it.
    const items = pageRows.map((row) => this.readRow(row)).filter((item): item is Operation => item !== null);
    const last = pageRows.at(-1);
    return {
      items,
      next_cursor:
        rows.length > page.limit && last
          ? encodeCursor({ s: page.sort, o: page.order, v: page.sort === 'updated_at' ? last.updated_at : last.created_at, i: last.id })
          : null,
    };
  }

  summary(filters: OperationFilters): OperationSummary {
    const where = buildWhere(filters);
    const byStatus = Object.fromEntries(operationStatuses.map((s) => [s, 0])) as OperationSummary['by_status'];
    const byErrorType = Object.fromEntries(errorTypes.map((t) => [t, 0])) as OperationSummary['by_error_type'];
    let total = 0;
    const rows = this.db
      .prepare(`SELECT o.status, o.last_error_type, COUNT(*) AS n FROM operations o ${whereSql(where.clauses)} GROUP BY o.status, o.last_error_type`)
      .all(where.params) as { status: string; last_error_type: string | null; n: number }[];
    for (const row of rows) {
      total += row.n;
      if (row.status in byStatus) byStatus[row.status as keyof typeof byStatus] += row.n;
      if (row.last_error_type && row.last_error_type in byErrorType) byErrorType[row.last_error_type as keyof typeof byErrorType] += row.n;
    }
    return { total, by_status: byStatus, by_error_type: byErrorType };
  }

  async timeline(filters: OperationFilters, range: { from: string; to: string; buckets: number }): Promise<OperationTimeline> {
    const fromMs = Date.parse(range.from);
    const toMs = Date.parse(range.to);
    const bucketSeconds = Math.max(1, Math.ceil((toMs - fromMs) / 1000 / range.buckets));
    const where = buildWhere({ ...filters, from: range.from, to: range.to });
    // One range count per bucket, not one pass over the whole range: over weeks of a large store
    // that pass holds the event loop for tens of milliseconds; buckets let other requests in between.
    const statement = this.db.prepare(
      `SELECT o.status, COUNT(*) AS n FROM operations o ${whereSql([...where.clauses, 'o.created_at >= @bucket_from', 'o.created_at < @bucket_to'])} GROUP BY o.status`,
    );
    const count = Math.ceil((toMs - fromMs) / 1000 / bucketSeconds);
    const startOf = (index: number) => new Date(fromMs + index * bucketSeconds * 1000).toISOString();
    const buckets: OperationTimeline['buckets'] = [];
    let sliceStarted = performance.now();
    for (let index = 0; index < count; index += 1) {
      const bucket = { start: startOf(index), pending: 0, success: 0, failed: 0 };
      const rows = statement.all({ ...where.params, bucket_from: bucket.start, bucket_to: startOf(index + 1) }) as { status: string; n: number }[];
      for (const row of rows) {
        if (row.status === 'pending' || row.status === 'success' || row.status === 'failed') bucket[row.status] += row.n;
      }
      buckets.push(bucket);
      if (performance.now() - sliceStarted > YIELD_AFTER_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
    return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), bucket_seconds: bucketSeconds, buckets };
  }

  stalePending(since: string, before: string, limit: number) {
    return this.stalePendingStatement.all(since, before, limit) as { id: string; connection_id: string }[];
  }

  newerUpdateOf(op: RecordRef): string | null {
    if (!op.resource_id) return null;
    const id = this.newerUpdateStatement.get({ ...recordParams(op) }) as string | undefined;
    return id ?? null;
  }

  recordHistoryBefore(op: RecordRef, limit = 50): OperationWithLogs[] {
    if (!op.resource_id) return [];
    const rows = this.historyStatement.all({ ...recordParams(op), limit }) as Row[];
    return rows.reverse().flatMap((row) => {
      const item = this.readRow(row);
      const logs = operationWithLogsSchema.shape.logs.safeParse(parseJson(row.logs));
      return item && logs.success ? [{ ...item, logs: logs.data }] : [];
    });
  }

  facets(filters: OperationFilters): OperationFacets {
    const count = (column: 'resource' | 'operation_type', own: Partial<OperationFilters>) => {
      const where = buildWhere({ ...filters, ...own });
      const rows = this.db
        .prepare(`SELECT o.${column} AS value, COUNT(*) AS count FROM operations o ${whereSql(where.clauses)} GROUP BY o.${column} ORDER BY count DESC, value`)
        .all(where.params) as { value: string; count: number }[];
      return rows;
    };
    return { resource: count('resource', { resource: undefined }), operation_type: count('operation_type', { operation_type: undefined }) };
  }

  failuresByConnection(from: string): FailureCount[] {
    return this.db
      .prepare(
        `SELECT connection_id, resource, COUNT(*) AS failed FROM operations
         WHERE status = 'failed' AND created_at >= ? GROUP BY connection_id, resource ORDER BY connection_id, failed DESC, resource`,
      )
      .all(new Date(from).toISOString()) as FailureCount[];
  }

  rememberNames(names: readonly RecordName[]): void {
    if (names.length === 0) return;
    this.db.transaction(() => {
      for (const name of names) this.nameStatement.run({ ...name, id: name.id.toLowerCase(), connection_id: name.connection_id.toLowerCase() });
    })();
  }

  namesOf(ids: readonly string[]): Map<string, RecordName> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))].slice(0, 500);
    if (wanted.length === 0) return new Map();
    const rows = this.db
      .prepare(`SELECT id, kind, connection_id, name FROM record_names WHERE id IN (${wanted.map(() => '?').join(', ')})`)
      .all(...wanted) as RecordName[];
    return new Map(rows.map((row) => [row.id, row]));
  }
}

function recordParams(op: RecordRef) {
  return { id: op.id.toLowerCase(), resource: op.resource, resource_id: op.resource_id, created_at: new Date(op.created_at).toISOString() };
}

/** Longer values are text, not a field anyone searches by its start. */
const MAX_FIELD_CHARS = 200;
/** Payload fields whose words are searched as text (names, vendors, comments), besides a message's text. */
const WORD_FIELDS = ['message_text', 'vehicle_name', 'trailer_name', 'first_name', 'last_name', 'username', 'inspected_by', 'fuel_vendor', 'location_string', 'driver_comment', 'notes'];

/**
 * What search finds an operation by: every id it names (for id prefixes), its scalar payload fields
 * (for `field:value`), and the words of its texts and names (FTS, in the `message_text` column).
 */
export function searchKeysOf(op: Pick<OperationWithLogs, 'id' | 'resource_id' | 'source_id' | 'payload'>) {
  const ids = new Set<string>([op.id.toLowerCase()]);
  if (op.resource_id) ids.add(op.resource_id.toLowerCase());
  if (op.source_id) ids.add(op.source_id.toLowerCase());
  const fields: [string, string][] = [];
  for (const [key, value] of Object.entries(op.payload)) {
    if (key.endsWith('_id') && typeof value === 'string') ids.add(value.toLowerCase());
    if (key.endsWith('_ids') && Array.isArray(value)) for (const item of value) if (typeof item === 'string') ids.add(item.toLowerCase());
    if (key === 'message_text') continue;
    if ((typeof value === 'string' || typeof value === 'number') && String(value).length <= MAX_FIELD_CHARS) fields.push([key, String(value).toLowerCase()]);
  }
  const words = WORD_FIELDS.map((field) => op.payload[field]).filter((value): value is string => typeof value === 'string' && value !== '');
  return { ids, fields, words: words.length ? words.join('\n') : null };
}

function buildWhere(filters: OperationFilters) {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  const inList = (column: string, name: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    const names = values.map((value, index) => {
      params[`${name}_${index}`] = value;
      return `@${name}_${index}`;
    });
    // One value as `=`: the planner can then walk an index in sort order and stop at the page size.
    clauses.push(names.length === 1 ? `${column} = ${names[0]}` : `${column} IN (${names.join(', ')})`);
  };
  inList('o.connection_id', 'connection', filters.connection_id?.map((id) => id.toLowerCase()));
  inList('o.resource', 'resource', filters.resource);
  inList('o.status', 'status', filters.status);
  inList('o.operation_type', 'operation_type', filters.operation_type);
  inList('o.last_error_type', 'error_type', filters.error_type);
  if (filters.from) {
    clauses.push('o.created_at >= @from');
    params.from = new Date(filters.from).toISOString();
  }
  if (filters.to) {
    clauses.push('o.created_at < @to');
    params.to = new Date(filters.to).toISOString();
  }
  if (filters.participant_id) {
    // Both expressions match an index of their own (migration 5).
    clauses.push(`(json_extract(o.payload, '$.recipient_id') = @participant OR json_extract(o.payload, '$.sender_id') = @participant)`);
    params.participant = filters.participant_id.toLowerCase();
  }
  const q = filters.q?.trim();
  if (q) {
    const search = parseSearch(q);
    if (search.kind === 'field') {
      params.field = search.field;
      params.field_from = search.value;
      params.field_to = prefixEnd(search.value);
      clauses.push('o.id IN (SELECT operation_id FROM operation_fields WHERE field = @field AND value >= @field_from AND value < @field_to)');
    } else {
      // One IN over the primary key of every way the text can match, each an index lookup or range.
      // Any id given whole (an operation's, its record's, a TSP's) matches exactly, whatever it looks like.
      params.id_exact = q.toLowerCase();
      const sources = ['SELECT operation_id FROM operation_ids WHERE value = @id_exact'];
      if (search.idPrefix) {
        params.id_from = search.idPrefix;
        params.id_to = prefixEnd(search.idPrefix);
        sources.push('SELECT operation_id FROM operation_ids WHERE value >= @id_from AND value < @id_to');
      }
      const match = ftsQuery(q);
      if (match) {
        params.fts = match;
        // Only the newest matches of the words are candidates (decision 0013): a word in most messages
        // would otherwise make the store read, sort or count every one of them, holding the event loop.
        sources.push(
          `SELECT id FROM operations WHERE rowid IN (SELECT rowid FROM operations_fts WHERE operations_fts MATCH @fts ORDER BY rowid DESC LIMIT ${SEARCH_CANDIDATES_MAX})`,
        );
        sources.push(
          'SELECT operation_id FROM operation_ids WHERE value IN (SELECT id FROM record_names WHERE rowid IN (SELECT rowid FROM record_names_fts WHERE record_names_fts MATCH @fts))',
        );
      }
      clauses.push(`o.id IN (${sources.join(' UNION ')})`);
    }
  }
  return { clauses, params };
}

/** A long count gives the event loop back after this long, so no request waits behind it for more. */
const YIELD_AFTER_MS = 8;

/** How many text matches a search considers, newest first; exact id matches always count besides. */
export const SEARCH_CANDIDATES_MAX = 2000;

function whereSql(clauses: readonly string[]): string {
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
}

type ParsedSearch = { kind: 'field'; field: string; value: string } | { kind: 'text'; idPrefix: string | null };

/**
 * What the search box accepts: `field:value` (a payload field starting with the value, e.g.
 * `vin:1FTFW1E5`), the first characters (4 or more) of any id, or words of a text or a name.
 */
export function parseSearch(q: string): ParsedSearch {
  const field = /^([a-z][a-z0-9_]{0,63}):\s*(\S.*)$/i.exec(q);
  if (field?.[1] && field[2]) return { kind: 'field', field: field[1].toLowerCase(), value: field[2].trim().toLowerCase() };
  const token = q.toLowerCase();
  const idPrefix = /^[0-9a-z-]{4,64}$/.test(token) && /\d/.test(token) ? token : null;
  return { kind: 'text', idPrefix };
}

/** The smallest string after every string that starts with `prefix` (for `value >= prefix AND value < end`). */
function prefixEnd(prefix: string): string {
  return `${prefix.slice(0, -1)}${String.fromCodePoint((prefix.codePointAt(prefix.length - 1) ?? 0) + 1)}`;
}

/**
 * Words of the search box as an FTS5 query: every word must occur, the last one may be a prefix
 * (people type "delivery conf"). Only letters and digits reach FTS, so no input is a syntax error.
 */
function ftsQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 12);
  if (!words || words.length === 0) return null;
  return words.map((word, index) => (index === words.length - 1 ? `"${word}"*` : `"${word}"`)).join(' ');
}

function encodeCursor(cursor: z.infer<typeof cursorSchema>): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server gave out. Start again from the first page.');
  }
}

/** List rows leave the logs out: the table needs only the derived attempt count and last error type. */
function toListItem(row: Row) {
  // What the store holds was validated on the way in; parsing again keeps the type honest without
  // casts, and finds rows an older, less strict version stored.
  return operationSchema.safeParse({
    id: row.id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    partner_id: row.partner_id,
    connection_id: row.connection_id,
    fleet_ref: row.fleet_ref,
    source_name: row.source_name,
    resource: row.resource,
    resource_id: row.resource_id,
    source_id: row.source_id,
    operation_type: row.operation_type,
    status: row.status,
    payload: parseJson(row.payload),
    attempt_count: row.attempt_count,
    last_error_type: row.last_error_type,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
