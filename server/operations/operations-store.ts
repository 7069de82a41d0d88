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
import {
  errorTypes,
  operationDetailSchema,
  operationSchema,
  operationWithLogsSchema,
  operationSortSchema,
  operationStatuses,
  sortOrderSchema,
} from '../../contracts/operation-schemas.ts';
import { sql, type RawBuilder } from 'kysely';
import type { StoreDatabase } from '../db/database.ts';
import type { Dialect } from '../db/dialect.ts';
import { changesOf, firstOf, rowsOf, type Executor } from '../db/query.ts';
import type { Tables } from '../db/schema.ts';
import { StoreRefusal } from '../db/store-refusal.ts';
import { DEFAULT_STUCK_AFTER_MINUTES, isStuck, type StuckThresholds } from './stuck-work.ts';
import { describeIssue } from './refused-operations.ts';

export type SeenVia = 'console' | 'webhook' | 'reconciler';

/**
 * The console's store of resource operations: the one interface that routes, the webhook
 * receiver and the reconciler use, over SQLite or PostgreSQL alike.
 */
export interface OperationsStore {
  /** Stores `op` unless the store already has a newer state of it. Returns whether it changed anything. */
  upsert(op: OperationWithLogs, seenVia: SeenVia): Promise<boolean>;
  /** All of `ops`, in one transaction: all stored, or none. */
  upsertMany(ops: readonly OperationWithLogs[], seenVia: SeenVia): Promise<number>;
  /**
   * A webhook event's operations, in one transaction with remembering its id: an event seen before
   * (`eventId` known) stores nothing and says so.
   */
  storeEvent(event: { id: string | null; name: string }, ops: readonly OperationWithLogs[]): Promise<{ duplicate: boolean; stored: number }>;
  get(id: string): Promise<OperationDetail | null>;
  /** The operations of `ids` that the store has (list items, without logs), in no particular order. */
  getMany(ids: readonly string[]): Promise<Operation[]>;
  /** A page; refuses (`invalid_cursor`) a cursor it did not give out for this sort. */
  list(filters: OperationFilters, page: OperationListQuery): Promise<OperationPage>;
  summary(filters: OperationFilters): Promise<OperationSummary>;
  /** Operations created in [from, to) per bucket, by status; counted a bucket at a time, letting other work in between. */
  timeline(filters: OperationFilters, range: { from: string; to: string; buckets: number }): Promise<OperationTimeline>;
  /** Records that `operationId` was sent to resend `resendOf`. */
  linkResend(operationId: string, resendOf: string): Promise<void>;
  /**
   * Pending operations last updated in [`since`, `before`), most recent first: the reconciler asks
   * Catena about them one by one.
   */
  stalePending(since: string, before: string, limit: number): Promise<{ id: string; connection_id: string }[]>;
  /** The id of the newest update of the same record (resource + resource_id) created after `op`, or null. */
  newerUpdateOf(op: RecordRef): Promise<string | null>;
  /** Successful operations on the same record created before `op` (its create and updates), oldest first. */
  recordHistoryBefore(op: RecordRef, limit?: number): Promise<OperationWithLogs[]>;
  /** Which resources and operation types occur under the filters, with counts (each ignoring its own filter). */
  facets(filters: OperationFilters): Promise<OperationFacets>;
  /** Failed operations since `from`, per connection and resource. */
  failuresByConnection(from: string): Promise<FailureCount[]>;
  /** Names of drivers, vehicles and trailers as the directory read them, for search by name. */
  rememberNames(names: readonly RecordName[]): Promise<void>;
  /** The names the store knows for these ids. */
  namesOf(ids: readonly string[]): Promise<Map<string, RecordName>>;
}

export type RecordRef = { id: string; resource: string; resource_id: string | null; created_at: string };
export type RecordName = { id: string; kind: 'user' | 'vehicle' | 'trailer'; connection_id: string; name: string };

/** What a list reads of a row: everything an operation shows but its logs (large, and not in a list). */
const LIST_COLUMNS = [
  'id',
  'connection_id',
  'partner_id',
  'fleet_ref',
  'source_name',
  'resource',
  'operation_type',
  'status',
  'resource_id',
  'source_id',
  'payload',
  'attempt_count',
  'last_error_type',
  'created_at',
  'updated_at',
] as const;
type ListRow = Pick<Tables['operations'], (typeof LIST_COLUMNS)[number]>;
type Row = ListRow & Pick<Tables['operations'], 'logs'>;
const listColumns = (table: string) => sql.raw(LIST_COLUMNS.map((column) => `${table}.${column}`).join(', '));

/** A keyset cursor: the sort it belongs to and the last row's sort value and id. */
const cursorSchema = z.object({ s: operationSortSchema, o: sortOrderSchema, v: z.string().min(1), i: z.string().min(1) });

export class SqlOperationsStore implements OperationsStore {
  constructor(
    private readonly store: StoreDatabase,
    /** Told of a stored row that no longer reads as an operation (kept by an older version): it is left out of answers. */
    private readonly onUnreadableRow: (id: string, reason: string) => void = () => undefined,
    /** When a pending operation counts as stuck, per resource (the `stuck` filter). */
    private readonly stuckAfterMinutes: StuckThresholds = DEFAULT_STUCK_AFTER_MINUTES,
  ) {}

  upsert(op: OperationWithLogs, seenVia: SeenVia): Promise<boolean> {
    return this.upsertOn(this.store.db, op, seenVia);
  }

  async upsertMany(ops: readonly OperationWithLogs[], seenVia: SeenVia): Promise<number> {
    if (ops.length === 0) return 0;
    return this.store.db.transaction().execute(async (trx) => {
      let changed = 0;
      for (const op of inLockOrder(ops)) if (await this.upsertOn(trx, op, seenVia)) changed += 1;
      return changed;
    });
  }

  async storeEvent(event: { id: string | null; name: string }, ops: readonly OperationWithLogs[]): Promise<{ duplicate: boolean; stored: number }> {
    return this.store.db.transaction().execute(async (trx) => {
      if (event.id) {
        const remembered = await changesOf(
          trx,
          sql`INSERT INTO webhook_events (id, event_name, received_at) VALUES (${event.id}, ${event.name}, ${new Date().toISOString()})
              ON CONFLICT (id) DO NOTHING`,
        );
        if (remembered === 0) return { duplicate: true, stored: 0 };
      }
      let stored = 0;
      for (const op of inLockOrder(ops)) if (await this.upsertOn(trx, op, 'webhook')) stored += 1;
      return { duplicate: false, stored };
    });
  }

  // Newest `updated_at` wins. On a tie (same millisecond), the state with more attempts or a
  // final status wins, so a late "created" event can never undo a "failed" one.
  private async upsertOn(db: Executor, given: OperationWithLogs, seenVia: SeenVia): Promise<boolean> {
    const op = withoutNul(given);
    const keys = searchKeysOf(op);
    const changed = await changesOf(
      db,
      sql`INSERT INTO operations (id, connection_id, partner_id, fleet_ref, source_name, resource, operation_type, status,
        resource_id, source_id, payload, logs, attempt_count, last_error_type, message_text, created_at, updated_at, seen_via, stored_at)
      VALUES (${op.id}, ${op.connection_id}, ${op.partner_id}, ${op.fleet_ref}, ${op.source_name}, ${op.resource}, ${op.operation_type}, ${op.status},
        ${op.resource_id}, ${op.source_id}, ${JSON.stringify(op.payload)}, ${JSON.stringify(op.logs)}, ${op.attempt_count}, ${op.last_error_type},
        ${keys.words}, ${op.created_at}, ${op.updated_at}, ${seenVia}, ${new Date().toISOString()})
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
           OR (operations.status = 'pending' AND excluded.status <> 'pending')))`,
    );
    if (changed === 0) return false;
    // Ids and fields only ever grow for one operation (a record id arrives with success): no delete needed.
    const ids = [...keys.ids].map((value) => sql`(${value}, ${op.id})`);
    await sql`INSERT INTO operation_ids (value, operation_id) VALUES ${sql.join(ids)} ON CONFLICT DO NOTHING`.execute(db);
    if (keys.fields.length > 0) {
      const fields = keys.fields.map(([field, value]) => sql`(${field}, ${value}, ${op.id})`);
      await sql`INSERT INTO operation_fields (field, value, operation_id) VALUES ${sql.join(fields)} ON CONFLICT DO NOTHING`.execute(db);
    }
    return true;
  }

  async get(id: string): Promise<OperationDetail | null> {
    const { db } = this.store;
    const key = id.toLowerCase();
    const [row, resendOf, resentAs, origin] = await Promise.all([
      firstOf(db, sql<Row>`SELECT * FROM operations WHERE id = ${key}`),
      firstOf(db, sql<{ resend_of: string }>`SELECT resend_of FROM operation_links WHERE operation_id = ${key}`),
      rowsOf(db, sql<{ operation_id: string }>`SELECT operation_id FROM operation_links WHERE resend_of = ${key} ORDER BY created_at`),
      firstOf(
        db,
        sql<{ account_name: string | null; broadcast_id: string | null; resend_batch_id: string | null }>`
          SELECT account_name, broadcast_id, resend_batch_id FROM operation_origins WHERE operation_id = ${key}`,
      ),
    ]);
    if (!row) return null;
    const item = this.readRow(row);
    if (!item) return null;
    const detail = operationDetailSchema.safeParse({
      ...item,
      logs: parseJson(row.logs),
      resend_of: resendOf?.resend_of ?? null,
      resent_as: resentAs.map((r) => r.operation_id),
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
  private readRow(row: ListRow): Operation | null {
    const parsed = toListItem(row);
    // Marked only when so, as the `stuck` filter would find it: the table flags it, the rest stay as they were.
    if (parsed.success) return isStuck(parsed.data, this.stuckAfterMinutes) ? { ...parsed.data, stuck: true } : parsed.data;
    this.onUnreadableRow(row.id, describeIssue(parsed.error, ''));
    return null;
  }

  async getMany(ids: readonly string[]): Promise<Operation[]> {
    const found: Operation[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500).map((id) => id.toLowerCase());
      if (chunk.length === 0) continue;
      const rows = await rowsOf(this.store.db, sql<ListRow>`SELECT ${listColumns('operations')} FROM operations WHERE id IN (${sql.join(chunk)})`);
      for (const row of rows) {
        const item = this.readRow(row);
        if (item) found.push(item);
      }
    }
    return found;
  }

  async linkResend(operationId: string, resendOf: string): Promise<void> {
    const parent = resendOf.toLowerCase();
    await sql`INSERT INTO operation_links (operation_id, resend_of, chain_id, created_at)
              VALUES (${operationId.toLowerCase()}, ${parent},
                      COALESCE((SELECT chain_id FROM operation_links WHERE operation_id = ${parent}), ${parent}), ${this.store.dialect.now()})
              ON CONFLICT DO NOTHING`.execute(this.store.db);
  }

  async list(filters: OperationFilters, page: OperationListQuery): Promise<OperationPage> {
    const where = buildWhere(filters, this.store.dialect, {
      commonField: await this.isCommonField(filters.q),
      stuckAfterMinutes: this.stuckAfterMinutes,
    });
    // Only these two names ever reach the SQL text; both are indexed with id as the tie-breaker.
    const column = sql.raw(page.sort === 'updated_at' ? 'o.updated_at' : 'o.created_at');
    const direction = sql.raw(page.order === 'asc' ? 'ASC' : 'DESC');
    if (page.cursor) {
      const cursor = decodeCursor(page.cursor);
      if (cursor.s !== page.sort || cursor.o !== page.order) {
        throw new StoreRefusal('invalid_cursor', 'The cursor belongs to another sort order. Start again from the first page.');
      }
      where.push(sql`(${column}, o.id) ${sql.raw(page.order === 'asc' ? '>' : '<')} (${cursor.v}, ${cursor.i})`);
    }
    const rows = await rowsOf(
      this.store.db,
      sql<ListRow>`SELECT ${listColumns('o')} FROM operations o ${whereSql(where)} ORDER BY ${column} ${direction}, o.id ${direction} LIMIT ${page.limit + 1}`,
    );
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

  async summary(filters: OperationFilters): Promise<OperationSummary> {
    const byStatus = Object.fromEntries(operationStatuses.map((s) => [s, 0])) as OperationSummary['by_status'];
    const byErrorType = Object.fromEntries(errorTypes.map((t) => [t, 0])) as OperationSummary['by_error_type'];
    const recovered = Object.fromEntries(errorTypes.map((t) => [t, 0])) as OperationSummary['recovered_by_error_type'];
    let total = 0;
    const rows = await rowsOf(
      this.store.db,
      sql<{ status: string; last_error_type: string | null; n: number }>`
        SELECT o.status, o.last_error_type, COUNT(*) AS n FROM operations o ${whereSql(this.buildWhere(filters))} GROUP BY o.status, o.last_error_type`,
    );
    for (const row of rows) {
      total += row.n;
      if (row.status in byStatus) byStatus[row.status as keyof typeof byStatus] += row.n;
      // A failure is counted by its final error; an operation that got through after errors, apart.
      const counts = row.status === 'failed' ? byErrorType : row.status === 'success' ? recovered : null;
      if (counts && row.last_error_type && row.last_error_type in counts) counts[row.last_error_type as keyof typeof counts] += row.n;
    }
    // Only pending work can be stuck: with none, no second count (the pending index answers it otherwise).
    const stuck =
      byStatus.pending === 0 || filters.stuck
        ? byStatus.pending
        : Number(
            (
              await firstOf(
                this.store.db,
                sql<{ n: number }>`SELECT COUNT(*) AS n FROM operations o ${whereSql(this.buildWhere({ ...filters, stuck: true }))}`,
              )
            )?.n ?? 0,
          );
    return { total, by_status: byStatus, by_error_type: byErrorType, recovered_by_error_type: recovered, stuck };
  }

  async timeline(filters: OperationFilters, range: { from: string; to: string; buckets: number }): Promise<OperationTimeline> {
    const fromMs = Date.parse(range.from);
    const toMs = Date.parse(range.to);
    const bucketSeconds = Math.max(1, Math.ceil((toMs - fromMs) / 1000 / range.buckets));
    const where = this.buildWhere({ ...filters, from: range.from, to: range.to });
    // One range count per bucket, not one pass over the whole range: over weeks of a large store
    // that pass holds SQLite (and the event loop) for tens of milliseconds; buckets let other requests in between.
    const count = Math.ceil((toMs - fromMs) / 1000 / bucketSeconds);
    const startOf = (index: number) => new Date(fromMs + index * bucketSeconds * 1000).toISOString();
    const answer = (buckets: OperationTimeline['buckets']) => ({
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      bucket_seconds: bucketSeconds,
      buckets,
    });
    if (!this.store.dialect.holdsEventLoop) {
      // Counted in the database's own process, so nothing here waits meanwhile: one statement, one
      // range count per bucket and status (each an index range), not a round trip per bucket.
      const bounds = Array.from({ length: count }, (_, index) => sql`(${sql.lit(index)}, ${startOf(index)}, ${startOf(index + 1)})`);
      const inBucket = (status: 'pending' | 'success' | 'failed') =>
        sql`(SELECT COUNT(*) FROM operations o ${whereSql([...where, sql`o.status = ${status}`, sql`o.created_at >= b.column2`, sql`o.created_at < b.column3`])})`;
      const rows = await rowsOf(
        this.store.db,
        sql<{ start: string; pending: number; success: number; failed: number }>`SELECT b.column2 AS start,
          ${inBucket('pending')} AS pending, ${inBucket('success')} AS success, ${inBucket('failed')} AS failed
          FROM (VALUES ${sql.join(bounds)}) AS b ORDER BY b.column1`,
      );
      return answer(rows.map(({ start, pending, success, failed }) => ({ start, pending, success, failed })));
    }
    const buckets: OperationTimeline['buckets'] = [];
    let sliceStarted = performance.now();
    for (let index = 0; index < count; index += 1) {
      const bucket = { start: startOf(index), pending: 0, success: 0, failed: 0 };
      const rows = await rowsOf(
        this.store.db,
        sql<{ status: string; n: number }>`SELECT o.status, COUNT(*) AS n FROM operations o
          ${whereSql([...where, sql`o.created_at >= ${bucket.start}`, sql`o.created_at < ${startOf(index + 1)}`])} GROUP BY o.status`,
      );
      for (const row of rows) {
        if (row.status === 'pending' || row.status === 'success' || row.status === 'failed') bucket[row.status] += row.n;
      }
      buckets.push(bucket);
      if (performance.now() - sliceStarted > YIELD_AFTER_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
    return answer(buckets);
  }

  stalePending(since: string, before: string, limit: number): Promise<{ id: string; connection_id: string }[]> {
    return rowsOf(
      this.store.db,
      sql<{ id: string; connection_id: string }>`SELECT id, connection_id FROM operations
        WHERE status = 'pending' AND updated_at >= ${since} AND updated_at < ${before} ORDER BY updated_at DESC LIMIT ${limit}`,
    );
  }

  async newerUpdateOf(op: RecordRef): Promise<string | null> {
    if (!op.resource_id) return null;
    const p = recordParams(op);
    const row = await firstOf(
      this.store.db,
      sql<{ id: string }>`SELECT id FROM operations WHERE resource = ${p.resource} AND resource_id = ${p.resource_id} AND operation_type = 'update'
        AND (created_at > ${p.created_at} OR (created_at = ${p.created_at} AND id > ${p.id})) ORDER BY created_at DESC, id DESC LIMIT 1`,
    );
    return row?.id ?? null;
  }

  async recordHistoryBefore(op: RecordRef, limit = 50): Promise<OperationWithLogs[]> {
    if (!op.resource_id) return [];
    const p = recordParams(op);
    const rows = await rowsOf(
      this.store.db,
      sql<Row>`SELECT * FROM operations WHERE resource = ${p.resource} AND resource_id = ${p.resource_id} AND status = 'success'
        AND (created_at < ${p.created_at} OR (created_at = ${p.created_at} AND id < ${p.id})) ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    );
    return rows.reverse().flatMap((row) => {
      const item = this.readRow(row);
      const logs = operationWithLogsSchema.shape.logs.safeParse(parseJson(row.logs));
      return item && logs.success ? [{ ...item, logs: logs.data }] : [];
    });
  }

  async facets(filters: OperationFilters): Promise<OperationFacets> {
    const count = (column: 'resource' | 'operation_type', own: Partial<OperationFilters>) =>
      rowsOf(
        this.store.db,
        sql<{ value: string; count: number }>`SELECT o.${sql.raw(column)} AS value, COUNT(*) AS count FROM operations o
          ${whereSql(this.buildWhere({ ...filters, ...own }))} GROUP BY o.${sql.raw(column)} ORDER BY count DESC, value`,
      );
    const [resource, operationType] = await Promise.all([
      count('resource', { resource: undefined }),
      count('operation_type', { operation_type: undefined }),
    ]);
    return { resource, operation_type: operationType };
  }

  failuresByConnection(from: string): Promise<FailureCount[]> {
    return rowsOf(
      this.store.db,
      sql<FailureCount>`SELECT connection_id, resource, COUNT(*) AS failed FROM operations
        WHERE status = 'failed' AND created_at >= ${new Date(from).toISOString()}
        GROUP BY connection_id, resource ORDER BY connection_id, failed DESC, resource`,
    );
  }

  async rememberNames(names: readonly RecordName[]): Promise<void> {
    if (names.length === 0) return;
    await this.store.db.transaction().execute(async (trx) => {
      for (let start = 0; start < names.length; start += 200) {
        const rows = names
          .slice(start, start + 200)
          .map((name) => sql`(${name.id.toLowerCase()}, ${name.kind}, ${name.connection_id.toLowerCase()}, ${name.name})`);
        await sql`INSERT INTO record_names (id, kind, connection_id, name) VALUES ${sql.join(rows)}
          ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, connection_id = excluded.connection_id, name = excluded.name
          WHERE record_names.name <> excluded.name OR record_names.kind <> excluded.kind`.execute(trx);
      }
    });
  }

  async namesOf(ids: readonly string[]): Promise<Map<string, RecordName>> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))].slice(0, 500);
    if (wanted.length === 0) return new Map();
    const rows = await rowsOf(
      this.store.db,
      sql<RecordName>`SELECT id, kind, connection_id, name FROM record_names WHERE id IN (${sql.join(wanted)})`,
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  private buildWhere(filters: OperationFilters): RawBuilder<unknown>[] {
    return buildWhere(filters, this.store.dialect, { stuckAfterMinutes: this.stuckAfterMinutes });
  }

  /**
   * Whether a `field:value` search matches more operations than are worth gathering and sorting
   * for one page (`vin:1FTFW1E5` over a fleet of Fords): then the page is read in time order,
   * checking each operation's field, and stops at the page size. Told by counting at most that many.
   */
  private async isCommonField(q: string | undefined): Promise<boolean> {
    const search = q?.trim() ? parseSearch(q.trim()) : null;
    if (search?.kind !== 'field') return false;
    const row = await firstOf(
      this.store.db,
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM (SELECT 1 FROM operation_fields
        WHERE field = ${search.field} AND value >= ${search.value} AND value < ${prefixEnd(search.value)} LIMIT ${COMMON_FIELD_MATCHES}) matches`,
    );
    return (row?.n ?? 0) >= COMMON_FIELD_MATCHES;
  }
}

/**
 * The operation with its text made storable everywhere, keys and nested values included: NUL
 * characters taken out, and lone UTF-16 surrogates (half an emoji) replaced by U+FFFD. PostgreSQL's
 * text cannot hold NUL, nor its JSON a \u0000 or a lone surrogate (SQLite holds all three): one
 * operation from Catena with one must not make a webhook unstorable or stall every reconciler pass
 * over its page. The same on both engines, so what is stored reads the same everywhere.
 */
function withoutNul(op: OperationWithLogs): OperationWithLogs {
  return needsCleaning(op) ? (cleaned(op) as OperationWithLogs) : op;
}

const isUnstorable = (text: string) => text.includes('\u0000') || !text.isWellFormed();

function needsCleaning(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (Array.isArray(value)) return value.some(needsCleaning);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, item]) => isUnstorable(key) || needsCleaning(item));
  return false;
}

function cleaned(value: unknown): unknown {
  if (typeof value === 'string') return isUnstorable(value) ? value.replaceAll('\u0000', '').toWellFormed() : value;
  if (Array.isArray(value)) return value.map(cleaned);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [cleaned(key), cleaned(item)]));
  return value;
}

/**
 * Operations in the order every transaction writes them: by id, compared as plain strings (not by locale,
 * which may differ between servers). Two servers storing overlapping operations at once (a webhook
 * event and a reconciler page) then wait on each other's rows instead of deadlocking on PostgreSQL.
 */
function inLockOrder(ops: readonly OperationWithLogs[]): OperationWithLogs[] {
  return [...ops].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function recordParams(op: RecordRef) {
  return { id: op.id.toLowerCase(), resource: op.resource, resource_id: op.resource_id, created_at: new Date(op.created_at).toISOString() };
}

/** Longer values are text, not a field anyone searches by its start. */
const MAX_FIELD_CHARS = 200;
/** Payload fields whose words are searched as text (names, vendors, comments), besides a message's text. */
const WORD_FIELDS = [
  'message_text',
  'vehicle_name',
  'trailer_name',
  'first_name',
  'last_name',
  'username',
  'inspected_by',
  'fuel_vendor',
  'location_string',
  'driver_comment',
  'notes',
];

/**
 * What search finds an operation by: every id it names (for id prefixes), its scalar payload fields
 * (for `field:value`), and the words of its texts and names (FTS, in the `message_text` column).
 */
export function searchKeysOf(op: Pick<OperationWithLogs, 'id' | 'resource_id' | 'source_id' | 'payload'>) {
  const ids = new Set<string>([op.id.toLowerCase()]);
  // Longer "ids" are text, not anything a person types to find an operation (nor an index entry PostgreSQL takes).
  const addId = (value: string) => {
    if (value.length <= MAX_FIELD_CHARS) ids.add(value.toLowerCase());
  };
  if (op.resource_id) addId(op.resource_id);
  if (op.source_id) addId(op.source_id);
  const fields: [string, string][] = [];
  for (const [key, value] of Object.entries(op.payload)) {
    if (key.length > MAX_FIELD_CHARS) continue;
    if (key.endsWith('_id') && typeof value === 'string') addId(value);
    if (key.endsWith('_ids') && Array.isArray(value)) for (const item of value) if (typeof item === 'string') addId(item);
    if (key === 'message_text') continue;
    if ((typeof value === 'string' || typeof value === 'number') && String(value).length <= MAX_FIELD_CHARS)
      fields.push([key, String(value).toLowerCase()]);
  }
  const words = WORD_FIELDS.map((field) => op.payload[field]).filter((value): value is string => typeof value === 'string' && value !== '');
  return { ids, fields, words: words.length ? words.join('\n') : null };
}

/** Past this many matches, a `field:value` page is read in time order rather than gathered and sorted. */
const COMMON_FIELD_MATCHES = 2000;

function buildWhere(
  filters: OperationFilters,
  dialect: Dialect,
  options: { commonField?: boolean; stuckAfterMinutes?: StuckThresholds } = {},
): RawBuilder<unknown>[] {
  const clauses: RawBuilder<unknown>[] = [];
  const inList = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    // One value as `=`: the planner can then walk an index in sort order and stop at the page size.
    const [only] = values;
    clauses.push(values.length === 1 ? sql`${sql.raw(column)} = ${only}` : sql`${sql.raw(column)} IN (${sql.join(values)})`);
  };
  inList(
    'o.connection_id',
    filters.connection_id?.map((id) => id.toLowerCase()),
  );
  inList('o.resource', filters.resource);
  inList('o.status', filters.status);
  inList('o.operation_type', filters.operation_type);
  inList('o.last_error_type', filters.error_type);
  if (filters.from) clauses.push(sql`o.created_at >= ${new Date(filters.from).toISOString()}`);
  if (filters.to) clauses.push(sql`o.created_at < ${new Date(filters.to).toISOString()}`);
  if (filters.stuck) {
    // Pending and created longer ago than its resource's threshold (the pending index narrows it).
    const { default: otherwise, ...named } = options.stuckAfterMinutes ?? DEFAULT_STUCK_AFTER_MINUTES;
    const before = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const resources = Object.keys(named);
    const each = Object.entries(named).map(([resource, minutes]) => sql`(o.resource = ${resource} AND o.created_at < ${before(minutes)})`);
    const rest =
      resources.length > 0
        ? sql`(o.resource NOT IN (${sql.join(resources)}) AND o.created_at < ${before(otherwise)})`
        : sql`o.created_at < ${before(otherwise)}`;
    clauses.push(sql`o.status = 'pending'`, sql`(${sql.join([...each, rest], sql` OR `)})`);
  }
  // Provider incidents (decision 0045): the failed writes one holds, or everything but those (the folded row shows them).
  if (filters.incident)
    clauses.push(dialect.idIn(sql`o.id`, sql`SELECT operation_id FROM incident_operations WHERE incident_id = ${filters.incident.toLowerCase()}`));
  if (filters.exclude_incident?.length) {
    const folded = filters.exclude_incident.map((id) => id.toLowerCase());
    clauses.push(sql`NOT EXISTS (SELECT 1 FROM incident_operations f WHERE f.operation_id = o.id AND f.incident_id IN (${sql.join(folded)}))`);
  }
  if (filters.participant_id) {
    // Both expressions match an index of their own (migration 5; the baseline on PostgreSQL).
    const participant = filters.participant_id.toLowerCase();
    clauses.push(
      sql`(${dialect.jsonText('o.payload', 'recipient_id')} = ${participant} OR ${dialect.jsonText('o.payload', 'sender_id')} = ${participant})`,
    );
  }
  const q = filters.q?.trim();
  if (q) {
    const search = parseSearch(q);
    if (search.kind === 'field' && options.commonField) {
      // Each operation read in page order is checked by one probe of operation_fields_by_operation.
      clauses.push(
        dialect.existsPerRow(
          sql`SELECT 1 FROM operation_fields f WHERE f.operation_id = o.id AND f.field = ${search.field}
            AND f.value >= ${search.value} AND f.value < ${prefixEnd(search.value)}`,
        ),
      );
    } else if (search.kind === 'field') {
      clauses.push(
        dialect.idIn(
          sql`o.id`,
          sql`SELECT operation_id FROM operation_fields WHERE field = ${search.field} AND value >= ${search.value} AND value < ${prefixEnd(search.value)}`,
        ),
      );
    } else {
      // One IN over the primary key of every way the text can match, each an index lookup or range.
      // Any id given whole (an operation's, its record's, a TSP's) matches exactly, whatever it looks like.
      const sources: RawBuilder<unknown>[] = [sql`SELECT operation_id FROM operation_ids WHERE value = ${q.toLowerCase()}`];
      if (search.idPrefix) {
        sources.push(sql`SELECT operation_id FROM operation_ids WHERE value >= ${search.idPrefix} AND value < ${prefixEnd(search.idPrefix)}`);
      }
      const words = searchWords(q);
      if (words) {
        // Only the newest matches of the words are candidates (decision 0013): a word in most messages
        // would otherwise make the store read, sort or count every one of them.
        sources.push(sql`SELECT id FROM (${dialect.operationsWithWords(words, SEARCH_CANDIDATES_MAX)}) newest_words`);
        sources.push(sql`SELECT operation_id FROM operation_ids WHERE value IN (${dialect.recordsNamed(words)})`);
      }
      clauses.push(dialect.idIn(sql`o.id`, sql.join(sources, sql` UNION `)));
    }
  }
  return clauses;
}

/** A long count gives the event loop back after this long, so no request waits behind it for more. */
const YIELD_AFTER_MS = 8;

/** How many text matches a search considers, newest first; exact id matches always count besides. */
export const SEARCH_CANDIDATES_MAX = 2000;

function whereSql(clauses: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  return clauses.length ? sql`WHERE ${sql.join(clauses, sql` AND `)}` : sql``;
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
 * Words of the search box for full-text search: every word must occur, the last one may be a
 * prefix (people type "delivery conf"). Only letters and digits reach it, so no input is a syntax error.
 */
function searchWords(q: string): string[] | null {
  const words = q
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu)
    ?.slice(0, 12);
  return words && words.length > 0 ? words : null;
}

function encodeCursor(cursor: z.infer<typeof cursorSchema>): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new StoreRefusal('invalid_cursor', 'The cursor is not one this server gave out. Start again from the first page.');
  }
}

/** List rows leave the logs out: the table needs only the derived attempt count and last error type. */
function toListItem(row: ListRow) {
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
