/** A schema change, applied once: `version` is the same change on both engines. */
export type Migration = { version: number; sql: string };

/**
 * SQLite's schema migrations, applied in order, each once. Append; never edit a migration that has
 * shipped. A new migration is appended here and to postgres-migrations.ts with the same version.
 *
 * Timestamps are stored as ISO-8601 UTC strings with millisecond precision (`toISOString()`), so
 * text order is time order and indexes serve range filters.
 */
const steps: readonly string[] = [
  `
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
    -- where the console learnt of it last: 'console', 'webhook' or 'reconciler'
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

  -- Words of message texts, for the search box. External content: the text lives in operations.
  CREATE VIRTUAL TABLE operations_fts USING fts5(message_text, content='operations', content_rowid='rowid');
  CREATE TRIGGER operations_fts_insert AFTER INSERT ON operations BEGIN
    INSERT INTO operations_fts (rowid, message_text) VALUES (new.rowid, new.message_text);
  END;
  CREATE TRIGGER operations_fts_delete AFTER DELETE ON operations BEGIN
    INSERT INTO operations_fts (operations_fts, rowid, message_text) VALUES ('delete', old.rowid, old.message_text);
  END;
  CREATE TRIGGER operations_fts_update AFTER UPDATE OF message_text ON operations BEGIN
    INSERT INTO operations_fts (operations_fts, rowid, message_text) VALUES ('delete', old.rowid, old.message_text);
    INSERT INTO operations_fts (rowid, message_text) VALUES (new.rowid, new.message_text);
  END;

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
    state          TEXT NOT NULL,          -- 'in_flight' | 'done'
    status_code    INTEGER,
    response       TEXT,
    operation_id   TEXT,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (scope, key)
  );

  CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  );
  `,
  `
  -- Which operation resent which: kept apart from operations, whose rows every event replaces.
  CREATE TABLE operation_links (
    operation_id  TEXT PRIMARY KEY,
    resend_of     TEXT NOT NULL,
    created_at    TEXT NOT NULL
  );
  CREATE INDEX operation_links_resend_of ON operation_links (resend_of, created_at);
  CREATE INDEX operations_updated ON operations (updated_at DESC, id DESC);
  -- Covering indexes for the counts and the timeline, so they never read the (large) rows:
  -- one per way the planner narrows first (a time range, a connection, nothing).
  CREATE INDEX operations_counts_by_time ON operations (created_at, status, last_error_type, connection_id, resource, operation_type);
  CREATE INDEX operations_counts_by_connection ON operations (connection_id, status, last_error_type, resource, operation_type, created_at);
  CREATE INDEX operations_counts ON operations (status, last_error_type, connection_id, resource, operation_type, created_at);
  `,
  `
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
    resend_of        TEXT
  );
  CREATE INDEX broadcasts_created ON broadcasts (created_at DESC, id DESC);
  CREATE INDEX broadcasts_resend_of ON broadcasts (resend_of);

  -- One row per recipient, written with the broadcast before anything is sent. state:
  -- queued (not sent) → submitting (request on its way) → submitted (operation_id known) | refused (Catena said no).
  CREATE TABLE broadcast_recipients (
    broadcast_id      TEXT NOT NULL REFERENCES broadcasts (id),
    position          INTEGER NOT NULL,
    recipient_id      TEXT NOT NULL,
    name              TEXT NOT NULL,
    state             TEXT NOT NULL,
    operation_id      TEXT,
    error             TEXT,
    submitting_since  TEXT,
    PRIMARY KEY (broadcast_id, recipient_id)
  );
  CREATE INDEX broadcast_recipients_work ON broadcast_recipients (state, broadcast_id, position) WHERE state IN ('queued', 'submitting');
  CREATE INDEX broadcast_recipients_operation ON broadcast_recipients (operation_id);
  `,
  `
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

  -- Only a hash of the session token is kept: a copy of this file opens no session.
  CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
  );
  CREATE INDEX sessions_account ON sessions (account_id);

  CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor_id     TEXT,
    actor_email  TEXT,
    action       TEXT NOT NULL,
    target       TEXT,
    details      TEXT,
    ip           TEXT
  );
  CREATE INDEX audit_log_action ON audit_log (action, id DESC);

  -- Who sent an operation from the console, and as part of which broadcast.
  CREATE TABLE operation_origins (
    operation_id  TEXT PRIMARY KEY,
    account_id    TEXT,
    account_name  TEXT,
    broadcast_id  TEXT
  );
  ALTER TABLE broadcasts ADD COLUMN created_by_id TEXT;
  ALTER TABLE broadcasts ADD COLUMN created_by_name TEXT;
  `,
  `
  -- The people of a message, for "this driver's messages" (reply picker, a driver's history).
  CREATE INDEX operations_recipient ON operations (json_extract(payload, '$.recipient_id'));
  CREATE INDEX operations_sender ON operations (json_extract(payload, '$.sender_id'));
  `,
  `
  -- Every write the console hands to Catena, recorded before its request leaves (decision 0020):
  -- single sends from a request, broadcast recipients and bulk-resend items alike. state:
  -- queued (a batch item not sent yet) → submitting (request on its way, or in doubt once its answer
  -- was lost) → submitted (operation_id known) | refused (certainly not sent) | not_sent (settled:
  -- Catena never got it) | cancelled (its batch was cancelled before it left).
  -- A message keeps its sender, recipient and text; any other write (a vehicle update resent, a DVIR
  -- log created again) keeps its Catena request (method, path, body) in \`request\`.
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
  -- At most one resend on its way per chain: the database refuses a second, whatever the request.
  CREATE UNIQUE INDEX sends_open_chain ON sends (chain_id) WHERE chain_id IS NOT NULL AND state IN ('queued', 'submitting');
  CREATE INDEX sends_landed ON sends (connection_id, recipient_id, submitting_since);

  INSERT INTO sends (id, batch_id, position, connection_id, sender_id, recipient_id, recipient_name, message_text, priority,
                     state, operation_id, error, submitting_since, account_id, account_name, created_at)
  SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
               substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
         r.broadcast_id, r.position, b.connection_id, b.sender_id, r.recipient_id, r.name, b.message_text, b.priority,
         r.state, r.operation_id, r.error, r.submitting_since, b.created_by_id, b.created_by_name, b.created_at
  FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id;

  -- Broadcasts that resent another's failed recipients (before resend batches) join their chains.
  INSERT OR IGNORE INTO operation_links (operation_id, resend_of, created_at)
  SELECT r2.operation_id, r1.operation_id, b2.created_at
  FROM broadcasts b2
  JOIN broadcast_recipients r2 ON r2.broadcast_id = b2.id
  JOIN broadcast_recipients r1 ON r1.broadcast_id = b2.resend_of AND r1.recipient_id = r2.recipient_id
  WHERE r2.operation_id IS NOT NULL AND r1.operation_id IS NOT NULL;
  DROP TABLE broadcast_recipients;

  -- Each resend knows its chain: the first send of the intent it belongs to.
  ALTER TABLE operation_links ADD COLUMN chain_id TEXT;
  WITH RECURSIVE up (operation_id, ancestor) AS (
    SELECT operation_id, resend_of FROM operation_links
    UNION
    SELECT up.operation_id, l.resend_of FROM up JOIN operation_links l ON l.operation_id = up.ancestor
  )
  UPDATE operation_links SET chain_id = (
    SELECT ancestor FROM up
    WHERE up.operation_id = operation_links.operation_id AND ancestor NOT IN (SELECT operation_id FROM operation_links)
    LIMIT 1
  );
  CREATE INDEX operation_links_chain ON operation_links (chain_id, created_at);

  ALTER TABLE idempotency_keys ADD COLUMN send_id TEXT;
  ALTER TABLE operation_origins ADD COLUMN resend_batch_id TEXT;

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
  `,
  `
  -- Prefix indexes (1-3 characters) for the search box, whose last word is matched as a prefix:
  -- "w" or "de" no longer merges the doclists of every word that starts so (decision 0013).
  DROP TABLE operations_fts;
  CREATE VIRTUAL TABLE operations_fts USING fts5(message_text, content='operations', content_rowid='rowid', prefix='1 2 3');
  INSERT INTO operations_fts (operations_fts) VALUES ('rebuild');
  `,
  `
  -- Every id an operation names, lowercased: its own, its record's (Catena and TSP), and the Catena and
  -- TSP ids in its payload. Search by the first characters of any id is an index range on it.
  CREATE TABLE operation_ids (
    value         TEXT NOT NULL,
    operation_id  TEXT NOT NULL,
    PRIMARY KEY (value, operation_id)
  ) WITHOUT ROWID;
  -- Scalar payload fields, lowercased (e.g. vin, license_plate_number): \`field:value\` search is an index range.
  CREATE TABLE operation_fields (
    field         TEXT NOT NULL,
    value         TEXT NOT NULL,
    operation_id  TEXT NOT NULL,
    PRIMARY KEY (field, value, operation_id)
  ) WITHOUT ROWID;
  -- Names of drivers, vehicles and trailers as the directory last read them from Catena: search by name.
  CREATE TABLE record_names (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    name           TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE record_names_fts USING fts5(name, content='record_names', content_rowid='rowid');
  CREATE TRIGGER record_names_fts_insert AFTER INSERT ON record_names BEGIN
    INSERT INTO record_names_fts (rowid, name) VALUES (new.rowid, new.name);
  END;
  CREATE TRIGGER record_names_fts_delete AFTER DELETE ON record_names BEGIN
    INSERT INTO record_names_fts (record_names_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
  END;
  CREATE TRIGGER record_names_fts_update AFTER UPDATE OF name ON record_names BEGIN
    INSERT INTO record_names_fts (record_names_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
    INSERT INTO record_names_fts (rowid, name) VALUES (new.rowid, new.name);
  END;
  -- The operations on one record (a vehicle's updates): its state before an update, a newer update of it.
  CREATE INDEX operations_record ON operations (resource, resource_id, created_at);
  -- What the store already holds, indexed as the store indexes new writes (operations-store.ts, searchKeysOf).
  INSERT OR IGNORE INTO operation_ids (value, operation_id)
    SELECT lower(id), id FROM operations
    UNION ALL SELECT lower(resource_id), id FROM operations WHERE resource_id IS NOT NULL
    UNION ALL SELECT lower(source_id), id FROM operations WHERE source_id IS NOT NULL
    UNION ALL SELECT lower(j.value), o.id FROM operations o, json_each(o.payload) j WHERE substr(j.key, -3) = '_id' AND j.type = 'text'
    UNION ALL SELECT lower(k.value), o.id FROM operations o, json_each(o.payload) j, json_each(j.value) k
      WHERE substr(j.key, -4) = '_ids' AND j.type = 'array' AND k.type = 'text';
  INSERT OR IGNORE INTO operation_fields (field, value, operation_id)
    SELECT j.key, lower(CAST(j.value AS TEXT)), o.id FROM operations o, json_each(o.payload) j
    WHERE j.type IN ('text', 'integer', 'real') AND j.key <> 'message_text' AND length(CAST(j.value AS TEXT)) <= 200;
  `,
  `
  -- Work that one server does at a time (the reconciler, housekeeping), held until \`expires_at\` on
  -- the database's clock and renewed by its holder (decision 0041).
  CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL
  );
  -- Sign-in attempts that count against a budget (decision 0011), for every server alike.
  CREATE TABLE sign_in_attempts (
    id      TEXT PRIMARY KEY,
    budget  TEXT NOT NULL,
    at      TEXT NOT NULL
  );
  CREATE INDEX sign_in_attempts_budget ON sign_in_attempts (budget, at);
  `,
  `
  -- When a single send's request must have its answer (the sender's deadline, on the database's
  -- clock): until then a retry of its key is "in progress", after it "in doubt" until settled.
  ALTER TABLE sends ADD COLUMN answer_by TEXT;
  `,
  `
  -- Whether one operation has a field starting so: a page of a common \`field:value\` search read in
  -- time order checks each operation with one probe (operations-store.ts, isCommonField).
  CREATE INDEX operation_fields_by_operation ON operation_fields (operation_id, field, value);
  `,
  `
  -- Provider incidents (decision 0045): one TSP's tsp/network failures rising across its connections.
  -- At most one open incident per TSP: the database refuses a second, whichever server asks.
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
  -- The failed writes an incident holds, each in one incident at most: what its row folds and its resend sends.
  CREATE TABLE incident_operations (
    operation_id   TEXT PRIMARY KEY,
    incident_id    TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    failed_at      TEXT NOT NULL
  );
  CREATE INDEX incident_operations_incident ON incident_operations (incident_id, failed_at);
  -- The detector's questions, every few seconds: a TSP's connections' failures or successes since a moment.
  CREATE INDEX operations_connection_status_updated ON operations (connection_id, status, updated_at);
  `,
];

export const sqliteMigrations: readonly Migration[] = steps.map((sql, index) => ({ version: index + 1, sql }));

/** The newest schema version: both engines' migrations end at it. */
export const SCHEMA_VERSION = steps.length;
