import { http, HttpResponse } from 'msw';
import {
  errorTypes,
  operationStatuses,
  type Operation,
  type OperationPage,
  type OperationSummary,
  type OperationTimeline,
} from '../../../contracts/operation-schemas.ts';
import { operationFixtures } from '../fixtures/operation-fixtures.ts';

/**
 * GET /api/operations, /summary and /timeline over a list of operations, with the server's
 * filters, sort and cursor paging (cursors here are plain offsets). `operationHandlersFor` lets a
 * test serve a list it changes between polls.
 */

function matchesText(operation: Operation, q: string): boolean {
  const lower = q.toLowerCase();
  if (operation.id === lower || operation.resource_id === q || operation.resource_id === lower || operation.source_id === q) {
    return true;
  }
  const text = typeof operation.payload.message_text === 'string' ? operation.payload.message_text.toLowerCase() : '';
  const words: string[] = lower.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return false;
  const textWords: string[] = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  // Like the server's full-text search: every word, the last one may be a prefix.
  return words.every((word, index) => (index === words.length - 1 ? textWords.some((w) => w.startsWith(word)) : textWords.includes(word)));
}

function filtered(operations: readonly Operation[], params: URLSearchParams): Operation[] {
  const set = (key: string) => params.getAll(key);
  const connectionIds = set('connection_id').map((id) => id.toLowerCase());
  const resources = set('resource');
  const statuses = set('status');
  const types = set('operation_type');
  const errors = set('error_type');
  const from = params.get('from');
  const to = params.get('to');
  const q = params.get('q')?.trim();
  return operations.filter(
    (operation) =>
      (connectionIds.length === 0 || connectionIds.includes(operation.connection_id)) &&
      (resources.length === 0 || resources.includes(operation.resource)) &&
      (statuses.length === 0 || statuses.includes(operation.status)) &&
      (types.length === 0 || types.includes(operation.operation_type)) &&
      (errors.length === 0 || (operation.last_error_type !== null && errors.includes(operation.last_error_type))) &&
      (!from || Date.parse(operation.created_at) >= Date.parse(from)) &&
      (!to || Date.parse(operation.created_at) < Date.parse(to)) &&
      (!q || matchesText(operation, q)) &&
      (params.get('stuck') !== 'true' || operation.stuck === true),
  );
}

export function operationHandlersFor(source: () => readonly Operation[]) {
  return [
    http.get('/api/operations/summary', ({ request }) => {
      const items = filtered(source(), new URL(request.url).searchParams);
      const summary: OperationSummary = {
        total: items.length,
        by_status: Object.fromEntries(operationStatuses.map((s) => [s, items.filter((o) => o.status === s).length])) as OperationSummary['by_status'],
        by_error_type: Object.fromEntries(
          errorTypes.map((t) => [t, items.filter((o) => o.status === 'failed' && o.last_error_type === t).length]),
        ) as OperationSummary['by_error_type'],
        recovered_by_error_type: Object.fromEntries(
          errorTypes.map((t) => [t, items.filter((o) => o.status === 'success' && o.last_error_type === t).length]),
        ) as OperationSummary['recovered_by_error_type'],
        stuck: items.filter((o) => o.stuck).length,
      };
      return HttpResponse.json(summary);
    }),

    http.get('/api/operations/facets', ({ request }) => {
      const params = new URL(request.url).searchParams;
      const countBy = (key: 'resource' | 'operation_type') => {
        const without = new URLSearchParams(params);
        without.delete(key);
        const counts = new Map<string, number>();
        for (const operation of filtered(source(), without)) counts.set(operation[key], (counts.get(operation[key]) ?? 0) + 1);
        return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      };
      return HttpResponse.json({ resource: countBy('resource'), operation_type: countBy('operation_type') });
    }),

    http.get('/api/operations/failures', ({ request }) => {
      const from = new URL(request.url).searchParams.get('from') ?? new Date(Date.now() - 86_400_000).toISOString();
      const counts = new Map<string, { connection_id: string; resource: string; failed: number }>();
      for (const operation of source()) {
        if (operation.status !== 'failed' || Date.parse(operation.created_at) < Date.parse(from)) continue;
        const key = `${operation.connection_id} ${operation.resource}`;
        const entry = counts.get(key) ?? { connection_id: operation.connection_id, resource: operation.resource, failed: 0 };
        entry.failed += 1;
        counts.set(key, entry);
      }
      return HttpResponse.json({ from, items: [...counts.values()] });
    }),

    http.get('/api/operations/timeline', ({ request }) => {
      const params = new URL(request.url).searchParams;
      const to = Date.parse(params.get('to') ?? new Date().toISOString());
      const from = Date.parse(params.get('from') ?? new Date(to - 86_400_000).toISOString());
      const count = Number(params.get('buckets') ?? 48);
      const bucketSeconds = Math.max(1, Math.ceil((to - from) / 1000 / count));
      const buckets = Array.from({ length: Math.ceil((to - from) / 1000 / bucketSeconds) }, (_, index) => ({
        start: new Date(from + index * bucketSeconds * 1000).toISOString(),
        pending: 0,
        success: 0,
        failed: 0,
      }));
      for (const operation of filtered(source(), params)) {
        const bucket = buckets[Math.floor((Date.parse(operation.created_at) - from) / 1000 / bucketSeconds)];
        if (bucket) bucket[operation.status] += 1;
      }
      const timeline: OperationTimeline = {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        bucket_seconds: bucketSeconds,
        buckets,
      };
      return HttpResponse.json(timeline);
    }),

    http.get('/api/operations', ({ request }) => {
      const params = new URL(request.url).searchParams;
      const field = params.get('sort') === 'updated_at' ? 'updated_at' : 'created_at';
      const direction = params.get('order') === 'asc' ? 1 : -1;
      const items = filtered(source(), params).sort((a, b) => direction * (Date.parse(a[field]) - Date.parse(b[field]) || a.id.localeCompare(b.id)));
      const offset = Number(params.get('cursor') ?? 0);
      const limit = Number(params.get('limit') ?? 50);
      const page: OperationPage = {
        items: items.slice(offset, offset + limit),
        next_cursor: offset + limit < items.length ? String(offset + limit) : null,
      };
      return HttpResponse.json(page);
    }),
  ];
}

export const operationHandlers = operationHandlersFor(() => operationFixtures);
