import type { Generated } from 'kysely';

/**
 * The store's tables as the stores read and write them, the same on both engines (see the
 * migrations). Timestamps are ISO-8601 UTC text with milliseconds, so text order is time order;
 * flags are integers 0/1; JSON is text.
 */
export interface Tables {
  operations: {
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
    message_text: string | null;
    created_at: string;
    updated_at: string;
    seen_via: string;
    stored_at: string;
  };
  operation_links: { operation_id: string; resend_of: string; chain_id: string | null; created_at: string };
  operation_origins: {
    operation_id: string;
    account_id: string | null;
    account_name: string | null;
    broadcast_id: string | null;
    resend_batch_id: string | null;
  };
  operation_ids: { value: string; operation_id: string };
  operation_fields: { field: string; value: string; operation_id: string };
  record_names: { id: string; kind: string; connection_id: string; name: string };
  webhook_events: { id: string; event_name: string; received_at: string };
  idempotency_keys: {
    scope: string;
    key: string;
    request_hash: string;
    state: string;
    status_code: number | null;
    response: string | null;
    operation_id: string | null;
    send_id: string | null;
    created_at: string;
  };
  settings: { key: string; value: string };
  broadcasts: {
    id: string;
    created_at: string;
    connection_id: string;
    connection_name: string;
    tsp: string;
    sender_id: string;
    sender_name: string;
    message_text: string;
    priority: string | null;
    all_drivers: number;
    recipient_count: number;
    resend_of: string | null;
    created_by_id: string | null;
    created_by_name: string | null;
  };
  sends: {
    id: string;
    batch_id: string | null;
    position: number;
    resource: string;
    request: string | null;
    connection_id: string;
    sender_id: string | null;
    recipient_id: string | null;
    recipient_name: string | null;
    message_text: string | null;
    priority: string | null;
    reply_to_message_id: string | null;
    is_sync: number;
    resend_of: string | null;
    chain_id: string | null;
    state: string;
    operation_id: string | null;
    error: string | null;
    submitting_since: string | null;
    account_id: string | null;
    account_name: string | null;
    created_at: string;
    answer_by: string | null;
  };
  resend_batches: {
    id: string;
    created_at: string;
    created_by_id: string | null;
    created_by_name: string | null;
    selection: string;
    selected: number;
    will_resend: number;
    skipped: string;
    broadcast_id: string | null;
    cancelled_at: string | null;
  };
  accounts: {
    id: string;
    email: string;
    name: string;
    role: string;
    password_hash: string;
    disabled_at: string | null;
    created_at: string;
    updated_at: string;
    last_sign_in_at: string | null;
  };
  sessions: { token_hash: string; account_id: string; csrf_token: string; created_at: string; last_seen_at: string };
  audit_log: {
    id: Generated<number>;
    at: string;
    actor_id: string | null;
    actor_email: string | null;
    action: string;
    target: string | null;
    details: string | null;
    ip: string | null;
  };
  /** Work one server does at a time (the reconciler, housekeeping): who holds it until when, on the database's clock. */
  leases: { name: string; holder: string; expires_at: string };
  /** Sign-in attempts that count against a budget (decision 0011), shared by every server. */
  sign_in_attempts: { id: string; budget: string; at: string };
  /** Provider incidents (decision 0045): at most one open per TSP. */
  incidents: {
    id: string;
    tsp: string;
    opened_at: string;
    since: string;
    closed_at: string | null;
    armed_at: string | null;
    armed_by_id: string | null;
    armed_by_name: string | null;
    armed_by_email: string | null;
    resend_batch_id: string | null;
    resend_note: string | null;
  };
  /** The failed writes each incident holds (an operation in one incident at most). */
  incident_operations: { operation_id: string; incident_id: string; connection_id: string; failed_at: string };
}

/** Every table a store copy moves, parents before children (store:copy). */
export const TABLES_IN_ORDER = [
  'accounts',
  'sessions',
  'audit_log',
  'settings',
  'operations',
  'operation_links',
  'operation_origins',
  'operation_ids',
  'operation_fields',
  'record_names',
  'webhook_events',
  'broadcasts',
  'resend_batches',
  'sends',
  'idempotency_keys',
  'leases',
  'sign_in_attempts',
  'incidents',
  'incident_operations',
] as const satisfies readonly (keyof Tables)[];
