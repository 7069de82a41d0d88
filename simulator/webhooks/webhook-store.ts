import { newId } from '../lib/ids.ts';
import { freshBreaker, type BreakerState } from './circuit-breaker.ts';

export interface WebhookFilters {
  fleet_ids?: string[] | null | undefined;
  fleet_refs?: string[] | null | undefined;
}

export interface WebhookRecord {
  id: string;
  partner_id: string;
  /** The full url; reads redact it. */
  url: string;
  event_name: string;
  filters: WebhookFilters | null;
  secret: string;
  status: 'active' | 'paused' | 'stale' | 'deleted';
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  /** The stale circuit breaker's count since create, update or activate. */
  breaker: BreakerState;
}

/** Catena allows one subscription per (event_name, url, filters); an empty filter equals no filter. */
export function uniquenessKey(eventName: string, url: string, filters: WebhookFilters | null): string {
  const norm = (values: string[] | null | undefined): string[] => [...new Set(values ?? [])].sort();
  return JSON.stringify([eventName, url, norm(filters?.fleet_ids), norm(filters?.fleet_refs)]);
}

/** Whether an event about this fleet passes the subscription's filters. */
export function passesFilters(filters: WebhookFilters | null, fleet: { id: string; fleet_ref: string | null }): boolean {
  const ids = filters?.fleet_ids ?? [];
  const refs = filters?.fleet_refs ?? [];
  if (ids.length === 0 && refs.length === 0) return true;
  return ids.includes(fleet.id) || (fleet.fleet_ref !== null && refs.includes(fleet.fleet_ref));
}

/** Subscriptions. They survive POST /_sim/reset so a running console keeps receiving events. */
export class WebhookStore {
  private readonly byId = new Map<string, WebhookRecord>();

  findLive(eventName: string, url: string, filters: WebhookFilters | null): WebhookRecord | undefined {
    const key = uniquenessKey(eventName, url, filters);
    for (const hook of this.byId.values()) {
      if (hook.status !== 'deleted' && uniquenessKey(hook.event_name, hook.url, hook.filters) === key) return hook;
    }
    return undefined;
  }

  create(input: Pick<WebhookRecord, 'partner_id' | 'url' | 'event_name' | 'filters' | 'secret'>, now: number): WebhookRecord {
    const hook: WebhookRecord = {
      ...input,
      id: newId(),
      status: 'active',
      created_at: now,
      updated_at: now,
      deleted_at: null,
      breaker: freshBreaker(now),
    };
    this.byId.set(hook.id, hook);
    return hook;
  }

  /** A subscription that was not deleted. */
  get(id: string): WebhookRecord | undefined {
    const hook = this.byId.get(id.toLowerCase());
    return hook && hook.status !== 'deleted' ? hook : undefined;
  }

  list(filter: { event_name?: string | undefined; status?: string | undefined }): WebhookRecord[] {
    return [...this.byId.values()].filter(
      (hook) =>
        (filter.status === undefined ? hook.status !== 'deleted' : hook.status === filter.status) &&
        (filter.event_name === undefined || hook.event_name === filter.event_name),
    );
  }

  /** Soft delete, as Catena's `deleted_at` suggests: gone from reads, never delivered to again. */
  delete(id: string, now: number): boolean {
    const hook = this.get(id);
    if (!hook) return false;
    hook.status = 'deleted';
    hook.deleted_at = now;
    hook.updated_at = now;
    return true;
  }

  /** Subscriptions of this event that are not deleted: active ones get it, paused and stale ones queue it. */
  liveFor(eventName: string): WebhookRecord[] {
    return [...this.byId.values()].filter((hook) => hook.status !== 'deleted' && hook.event_name === eventName);
  }
}
