-- API tokens (service accounts) for the REST API. The secret is stored only as its SHA-256
-- hash; `prefix` (the token's first characters) names it in lists and logs.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    access TEXT NOT NULL,
    -- The person who made it: the token acts on their behalf (and stops with their account).
    user_id TEXT NOT NULL REFERENCES users (id),
    -- The customer organisation it acts for; NULL for a staff token.
    organisation_id TEXT REFERENCES organisations (id),
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT,
    last_used_ms BIGINT,
    revoked_at_ms BIGINT
);

CREATE INDEX api_tokens_by_organisation ON api_tokens (organisation_id, created_at_ms);
