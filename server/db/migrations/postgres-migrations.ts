import { postgresWords } from '../dialect.ts';
import type { Migration } from './sqlite-migrations.ts';

/**
 * PostgreSQL's schema migrations. PostgreSQL stores began at version 8, so its first migration is
 * SQLite's 1–8 as they stand, written at once; from 9 on each version is the same change as
 * SQLite's. The tables and columns are the same on both engines, so one store implementation
 * serves both (decision 0040). What differs:
 * - text is compared byte by byte (`COLLATE "C"`, as SQLite's BINARY): id prefixes, ISO times and
 *   cursors order the same on both, whatever the database's locale;
 * - words are searched with GIN indexes over `to_tsvector('simple', …)` instead of FTS5 tables;
 * - JSON fields are indexed as `payload::jsonb ->> 'field'` (payload stays text, as in SQLite);
 * - `operation_links.seq` and `audit_log.id` are identities, where SQLite has its rowid;
 * - autovacuum visits `operations` more often than PostgreSQL's default (decision 0042).
 */
const baseline = `
  CREATE TABLE operations (
    id               TEXT PRIMARY KEY,
    connection_id    TEXT NOT NULL,
    partner_id       TEXT NOT NULL,
    fleet_ref        TEXT,
    source_name      TEXT NOT NULL,
    resource         TEXT NOT NULL,
    operation_type   TEXT NOT NULL,
    status           TEXT NOT NULL,
    resource_id      TEXT,
    source_id        TEXT,
    payload          TEXT NOT NULL,
    logs             TEXT NOT NULL,
    attempt_count    INTEGER NOT NULL,
    last_error_type  TEXT,
    message_text     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    seen_via         TEXT NOT NULL,
    stored_at        TEXT NOT NULL
  );
  CREATE INDEX operations_created ON operations (created_at DESC, id DESC);
  CREATE INDEX operations_connection_created ON operations (connection_id, created_at DESC, id DESC);
  CREATE INDEX operations_status_created ON operations (status, created_at DESC, id DESC);
  CREATE INDEX operations_error_created ON operations (last_error_type, created_at DESC, id DESC);
  CREATE INDEX operations_resource_created ON operations (resource, created_at DESC, id DESC);
  CREATE INDEX operations_resource_id ON operations (resource_id);
  CREATE INDEX operations_source_id ON operations (source_id);
  CREATE INDEX operations_pending ON operations (status, updated_at) WHERE status = 'pending';
  CREATE INDEX operations_updated ON operations (updated_at DESC, id DESC);
  CREATE INDEX operations_counts_by_time ON operations (created_at, status, last_error_type, connection_id, resource, operation_type);
  CREATE INDEX operations_counts_by_connection ON operations (connection_id, status, last_error_type, resource, operation_type, created_at);
  CREATE INDEX operations_counts ON operations (status, last_error_type, connection_id, resource, operation_type, created_at);
  CREATE INDEX operations_recipient ON operations ((payload::jsonb ->> 'recipient_id'));
  CREATE INDEX operations_sender ON operations ((payload::jsonb ->> 'sender_id'));
  CREATE INDEX operations_record ON operations (resource, resource_id, created_at);
  CREATE INDEX operations_words ON operations USING gin ((${postgresWords('message_text')}));
  -- Counts read the covering indexes alone only where the visibility map says a page is all-visible,
  -- and only VACUUM sets it. By default autovacuum waits for a fifth of the table to change, and
  -- the changed fifth is the newest, the rows "last 24 h" counts read: vacuum after 1 % instead.
  ALTER TABLE operations SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);

  CREATE TABLE webhook_events (
    id           TEXT PRIMARY KEY,
    event_name   TEXT NOT NULL,
    received_at  TEXT NOT NULL
  );
  CREATE INDEX webhook_events_received ON webhook_events (received_at);

  CREATE TABLE idempotency_keys (
    scope          TEXT NOT NULL,
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    state          TEXT NOT NULL,
    status_code    INTEGER,
    response       TEXT,
    operation_id   TEXT,
    created_at     TEXT NOT NULL,
    send_id        TEXT,
    PRIMARY KEY (scope, key)
  );

  CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  );

  CREATE TABLE operation_links (
    operation_id  TEXT PRIMARY KEY,
    resend_of     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    chain_id      TEXT,
    seq           BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX operation_links_resend_of ON operation_links (resend_of, created_at);
  CREATE INDEX operation_links_chain ON operation_links (chain_id, created_at);

  CREATE TABLE broadcasts (
    id               TEXT PRIMARY KEY,
    created_at       TEXT NOT NULL,
    connection_id    TEXT NOT NULL,
    connection_name  TEXT NOT NULL,
    tsp              TEXT NOT NULL,
    sender_id        TEXT NOT NULL,
    sender_name      TEXT NOT NULL,
    message_text     TEXT NOT NULL,
    priority         TEXT,
    all_drivers      INTEGER NOT NULL,
    recipient_count  INTEGER NOT NULL,
    resend_of        TEXT,
    created_by_id    TEXT,
    created_by_name  TEXT
  );
  CREATE INDEX broadcasts_created ON broadcasts (created_at DESC, id DESC);
  CREATE INDEX broadcasts_resend_of ON broadcasts (resend_of);

  CREATE TABLE accounts (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    disabled_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    last_sign_in_at  TEXT
  );

  CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
  );
  CREATE INDEX sessions_account ON sessions (account_id);

  CREATE TABLE audit_log (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     TEXT,
    actor_email  TEXT,
    action       TEXT NOT NULL,
    target       TEXT,
    details      TEXT,
    ip           TEXT
  );
  CREATE INDEX audit_log_action ON audit_log (action, id DESC);

  CREATE TABLE operation_origins (
    operation_id     TEXT PRIMARY KEY,
    account_id       TEXT,
    account_name     TEXT,
    broadcast_id     TEXT,
    resend_batch_id  TEXT
  );

  CREATE TABLE sends (
    id                   TEXT PRIMARY KEY,
    batch_id             TEXT,
    position             INTEGER NOT NULL DEFAULT 0,
    resource             TEXT NOT NULL DEFAULT 'message',
    request              TEXT,
    connection_id        TEXT NOT NULL,
    sender_id            TEXT,
    recipient_id         TEXT,
    recipient_name       TEXT,
    message_text         TEXT,
    priority             TEXT,
    reply_to_message_id  TEXT,
    is_sync              INTEGER NOT NULL DEFAULT 0,
    resend_of            TEXT,
    chain_id             TEXT,
    state                TEXT NOT NULL,
    operation_id         TEXT,
    error                TEXT,
    submitting_since     TEXT,
    account_id           TEXT,
    account_name         TEXT,
    created_at           TEXT NOT NULL
  );
  CREATE UNIQUE INDEX sends_batch_position ON sends (batch_id, position) WHERE batch_id IS NOT NULL;
  CREATE INDEX sends_work ON sends (state, batch_id, position) WHERE state IN ('queued', 'submitting');
  CREATE UNIQUE INDEX sends_operation ON sends (operation_id) WHERE operation_id IS NOT NULL;
  CREATE UNIQUE INDEX sends_open_chain ON sends (chain_id) WHERE chain_id IS NOT NULL AND state IN ('queued', 'submitting');
  CREATE INDEX sends_landed ON sends (connection_id, recipient_id, submitting_since);

  CREATE TABLE resend_batches (
    id               TEXT PRIMARY KEY,
    created_at       TEXT NOT NULL,
    created_by_id    TEXT,
    created_by_name  TEXT,
    selection        TEXT NOT NULL,
    selected         INTEGER NOT NULL,
    will_resend      INTEGER NOT NULL,
    skipped          TEXT NOT NULL,
    broadcast_id     TEXT,
    cancelled_at     TEXT
  );
  CREATE INDEX resend_batches_created ON resend_batches (created_at DESC, id DESC);
  CREATE INDEX resend_batches_broadcast ON resend_batches (broadcast_id, created_at);

  CREATE TABLE operation_ids (
    value         TEXT NOT NULL,
    operation_id  TEXT NOT NULL,
    PRIMARY KEY (value, operation_id)
  );
  CREATE TABLE operation_fields (
    field         TEXT NOT NULL,
    value         TEXT NOT NULL,
    operation_id  TEXT NOT NULL,
    PRIMARY KEY (field, value, operation_id)
  );
  CREATE TABLE record_names (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    name           TEXT NOT NULL
  );
  CREATE INDEX record_names_words ON record_names USING gin ((${postgresWords('name')}));
`.replace(/\bTEXT\b/g, 'TEXT COLLATE "C"');

export const postgresMigrations: readonly Migration[] = [
  { version: 8, sql: baseline },
  {
    version: 9,
    sql: `
  CREATE TABLE leases (
    name        TEXT COLLATE "C" PRIMARY KEY,
    holder      TEXT COLLATE "C" NOT NULL,
    expires_at  TEXT COLLATE "C" NOT NULL
  );
  CREATE TABLE sign_in_attempts (
    id      TEXT COLLATE "C" PRIMARY KEY,
    budget  TEXT COLLATE "C" NOT NULL,
    at      TEXT COLLATE "C" NOT NULL
  );
  CREATE INDEX sign_in_attempts_budget ON sign_in_attempts (budget, at);
  `,
  },
  { version: 10, sql: `ALTER TABLE sends ADD COLUMN answer_by TEXT COLLATE "C";` },
  { version: 11, sql: `CREATE INDEX operation_fields_by_operation ON operation_fields (operation_id, field, value);` },
  {
    version: 12,
    sql: `
  CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    tsp              TEXT NOT NULL,
    opened_at        TEXT NOT NULL,
    since            TEXT NOT NULL,
    closed_at        TEXT,
    armed_at         TEXT,
    armed_by_id      TEXT,
    armed_by_name    TEXT,
    armed_by_email   TEXT,
    resend_batch_id  TEXT,
    resend_note      TEXT
  );
  CREATE UNIQUE INDEX incidents_open_tsp ON incidents (tsp) WHERE closed_at IS NULL;
  CREATE INDEX incidents_opened ON incidents (opened_at DESC, id DESC);
  CREATE TABLE incident_operations (
    operation_id   TEXT PRIMARY KEY,
    incident_id    TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    failed_at      TEXT NOT NULL
  );
  CREATE INDEX incident_operations_incident ON incident_operations (incident_id, failed_at);
  -- The detector's questions, every few seconds: a TSP's connections' failures or successes since a moment.
  CREATE INDEX operations_connection_status_updated ON operations (connection_id, status, updated_at);
  `.replace(/\bTEXT\b/g, 'TEXT COLLATE "C"'),
  },
];
