-- Passkeys (WebAuthn): a person's credentials on their devices, and the ceremonies between
-- the two requests of registering or using one.

-- One row per passkey. `credential_id` (base64url) is unique across everyone: a credential
-- belongs to one account. `passkey` is the verified credential as webauthn-rs keeps it (its
-- public key, algorithm and signature counter): nothing in it is secret.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    last_used_at_ms BIGINT
);

CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- A ceremony waiting for the browser's answer: its challenge state (hashed token, used once,
-- five minutes). `purpose` says what a right answer does; `name` is a new passkey's name.
CREATE TABLE passkey_ceremonies (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('register', 'sign-in', 'second-step', 'confirm')),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT,
    state TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

CREATE INDEX passkey_ceremonies_by_expiry ON passkey_ceremonies (expires_at_ms);
