import { z } from 'zod';
import type {
  Operation,
  OperationDetail,
  OperationFilters,
  OperationPage,
  OperationSummary,
} from '../../contracts/operation-schemas.ts';
import { errorTypes, operationDetailSchema, operationSchema, operationStatuses } from '../../contracts/operation-schemas.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { HttpError } from '../http/http-error.ts';

export type SeenVia = 'console' | 'webhook' | 'reconciler';

/**
 * The console's store of resource operations. The one narrow interface that routes, the webhook
 * receiver and the reconciler use, so that a PostgreSQL implementation can stand in for SQLite.
 */
export interface OperationsStore {
  /** Stores `op` unless the store already has a newer state of it. Returns whether it changed anything. */
  upsert(op: OperationDetail, seenVia: SeenVia): boolean;
  /** All of `ops`, in one transaction: all stored, or none. */
  upsertMany(ops: readonly OperationDetail[], seenVia: SeenVia): number;
  get(id: string): OperationDetail | null;
  list(filters: OperationFilters, page: { cursor?: string | undefined; limit: number }): OperationPage;
  summary(filters: OperationFilters): OperationSummary;
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

const cursorSchema = z.object({ c: z.string().min(1), i: z.string().min(1) });

export class SqliteOperationsStore implements OperationsStore {
  private readonly upsertStatement;
  private readonly getStatement;
  private readonly stalePendingStatement;

  constructor(private readonly db: SqliteDatabase) {
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
    this.stalePendingStatement = db.prepare(
      `SELECT id, connection_id FROM operations WHERE status = 'pending' AND updated_at >= ? AND updated_at < ? ORDER BY updated_at DESC LIMIT ?`,
    );
  }

  upsert(op: OperationDetail, seenVia: SeenVia): boolean {
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

  upsertMany(ops: readonly OperationDetail[], seenVia: SeenVia): number {
    return this.db.transaction(() => ops.reduce((changed, op) => changed + (this.upsert(op, seenVia) ? 1 : 0), 0))();
  }

  get(id: string): OperationDetail | null {
    const row = this.getStatement.get(id.toLowerCase()) as Row | undefined;
    return row ? toDetail(row) : null;
  }

  list(filters: OperationFilters, page: { cursor?: string | undefined; limit: number }): OperationPage {
    const where = buildWhere(filters);
    if (page.cursor) {
      const cursor = decodeCursor(page.cursor);
      where.clauses.push('(o.created_at, o.id) < (@cursor_created_at, @cursor_id)');
      where.params.cursor_created_at = cursor.c;
      where.params.cursor_id = cursor.i;
    }
    const sql = `SELECT o.* FROM operations o ${whereSql(where.clauses)} ORDER BY o.created_at DESC, o.id DESC LIMIT @limit`;
    const rows = this.db.prepare(sql).all({ ...where.params, limit: page.limit + 1 }) as Row[];
    const items = rows.slice(0, page.limit).map(toListItem);
    const last = items.at(-1);
    return {
      items,
      next_cursor: rows.length > page.limit && last ? encodeCursor(last.created_at, last.id) : null,
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
    clauses.push(`${column} IN (${names.join(', ')})`);
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
  const q = filters.q?.trim();
  if (q) {
    params.q = q;
    params.q_lower = q.toLowerCase();
    const match = ftsQuery(q);
    const byText = match ? ' OR o.rowid IN (SELECT rowid FROM operations_fts WHERE operations_fts MATCH @fts)' : '';
    if (match) params.fts = match;
    clauses.push(`(o.id = @q_lower OR o.resource_id = @q OR o.resource_id = @q_lower OR o.source_id = @q${byText})`);
  }
  return { clauses, params };
}

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

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify({ c: createdAt, i: id })).toString('base64url');
}

function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this server gave out. Start again from the first page.');
  }
}

/** List rows leave the logs out: the table needs only the derived attempt count and last error type. */
function toListItem(row: Row): Operation {
  // What the store holds was validated on the way in; parsing again keeps the type honest without casts.
  return operationSchema.parse({
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
    payload: JSON.parse(row.payload),
    attempt_count: row.attempt_count,
    last_error_type: row.last_error_type,
  });
}

function toDetail(row: Row): OperationDetail {
  return operationDetailSchema.parse({ ...toListItem(row), logs: JSON.parse(row.logs) });
}
