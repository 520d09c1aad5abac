-- Regions: the official hierarchy. Rows are never deleted: a retired code keeps its row
-- (with retired_on) so that records referring to it stay valid.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY NOT NULL,
    level       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    parent_code TEXT REFERENCES regions (code),
    path        TEXT NOT NULL,
    created_on  TEXT,
    retired_on  TEXT
);
CREATE INDEX regions_parent ON regions (parent_code);
CREATE INDEX regions_path ON regions (path);

CREATE TABLE region_imports (
    id          INTEGER PRIMARY KEY NOT NULL,
    source      TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    created     BIGINT NOT NULL,
    retired     BIGINT NOT NULL,
    renamed     BIGINT NOT NULL
);

CREATE TABLE region_changes (
    id        INTEGER PRIMARY KEY NOT NULL,
    import_id BIGINT NOT NULL REFERENCES region_imports (id),
    code      TEXT NOT NULL REFERENCES regions (code),
    change    TEXT NOT NULL,
    old_name  TEXT,
    new_name  TEXT
);
CREATE INDEX region_changes_code ON region_changes (code);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY NOT NULL,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT,
    created_at    BIGINT NOT NULL
);

CREATE TABLE grants (
    id         INTEGER PRIMARY KEY NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    role       TEXT NOT NULL,
    scope_code TEXT NOT NULL REFERENCES regions (code),
    granted_at BIGINT NOT NULL,
    UNIQUE (user_id, role, scope_code)
);

-- Browser sessions and API tokens are stored as SHA-256 hashes of the secret.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- 접속기록: append-only; the triggers refuse any change or removal.
CREATE TABLE access_log (
    id          INTEGER PRIMARY KEY NOT NULL,
    at          BIGINT NOT NULL,
    user_id     BIGINT,
    user_login  TEXT NOT NULL,
    address     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    action      TEXT NOT NULL,
    purpose     TEXT,
    region_code TEXT
);
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_subject ON access_log (subject);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
