-- Second factors: an authenticator app (TOTP, RFC 6238) and its recovery codes, the short
-- step between a right password and a session, and how each session signed in.

-- One authenticator per person. `last_step` is the newest 30-second step accepted: a code of
-- that step or an older one is never accepted again. Five wrong codes lock it for a while.
CREATE TABLE totp_factors (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    confirmed_at_ms BIGINT,
    last_step BIGINT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until_ms BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

-- Ten single-use codes shown once when the authenticator is set up; only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at_ms BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A right password of someone with a second factor: the browser holds this token (hashed here)
-- for five minutes while it asks for the code. No session exists until the code is right.
CREATE TABLE sign_in_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at_ms BIGINT NOT NULL
);

CREATE INDEX sign_in_challenges_by_expiry ON sign_in_challenges (expires_at_ms);

-- How the session signed in: password, password+totp, password+recovery-code.
ALTER TABLE sessions ADD COLUMN method TEXT;

-- Whom an organisation requires to sign in with a second factor: off, admins, everyone.
ALTER TABLE organisations ADD COLUMN two_step_policy TEXT NOT NULL DEFAULT 'off'
    CHECK (two_step_policy IN ('off', 'admins', 'everyone'));
