import { z } from 'zod';
import type {
  Operation,
  OperationDetail,
  OperationFilters,
  OperationListQuery,
  OperationPage,
  OperationSummary,
  OperationTimeline,
  OperationWithLogs,
} from '../../contracts/operation-schemas.ts';
import { errorTypes, operationDetailSchema, operationSchema, operationSortSchema, operationStatuses, sortOrderSchema } from '../../contracts/operation-schemas.ts';
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
}

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

  constructor(
    private readonly db: SqliteDatabase,
    /** Told of a stored row that no longer reads as an operation (kept by an older version): it is left out of answers. */
    private readonly onUnreadableRow: (id: string, reason: string) => void = () => undefined,
  ) {
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
    const messageText = op.resource === 'message' && typeof op.payload.message_text === 'string' ? op.payload.message_text : null;
    const result = this.upsertStatement.run({
      ...op,
      payload: JSON.stringify(op.payload),
      logs: JSON.stringify(op.logs),
      message_text: messageText,
      seen_via: seenVia,
      stored_at: new Date().toISOString(),
    });
    return result.changes > 0;
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
    params.q = q;
    params.q_lower = q.toLowerCase();
    const match = ftsQuery(q);
    // Only the newest matches of the words are candidates (decision 0013): a word in most messages
    // would otherwise make the store read, sort or count every one of them, holding the event loop.
    const byText = match
      ? ` OR o.rowid IN (SELECT rowid FROM operations_fts WHERE operations_fts MATCH @fts ORDER BY rowid DESC LIMIT ${SEARCH_CANDIDATES_MAX})`
      : '';
    if (match) params.fts = match;
    clauses.push(`(o.id = @q_lower OR o.resource_id = @q OR o.resource_id = @q_lower OR o.source_id = @q${byText})`);
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
