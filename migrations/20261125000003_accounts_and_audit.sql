-- People, organisations, sessions, sign-in throttling and the audit log.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

-- Buyers and org admins belong to an organisation; carrier staff (sales engineers, admins)
-- to none. Emails are stored lower-cased, so the unique index is case-insensitive.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('buyer', 'org-admin', 'sales-engineer', 'admin')),
    organisation_id TEXT REFERENCES organisations (id),
    created_at_ms BIGINT NOT NULL,
    CHECK ((role IN ('buyer', 'org-admin')) = (organisation_id IS NOT NULL))
);

CREATE INDEX users_by_organisation ON users (organisation_id);

-- The cookie holds a random token; only its SHA-256 is stored, so a copy of this table
-- cannot be used to sign in. Expired rows are swept on sign-in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins per account, shared by every server: after too many the account waits.
CREATE TABLE sign_in_failures (
    email TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_started_ms BIGINT NOT NULL
);

-- Every change a person makes. `before_json`/`after_json` hold the changed fields.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor_id TEXT,
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    organisation_id TEXT,
    before_json TEXT,
    after_json TEXT
);

CREATE INDEX audit_log_by_time ON audit_log (at_ms);
