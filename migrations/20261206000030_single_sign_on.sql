-- Single sign-on with OpenID Connect: one identity provider per customer organisation. The
-- client secret is sealed with the server's secret key (never stored as it was typed).
-- mode: off (registered, only the admin's test sign-in uses it), on, enforced (password
-- sign-in refused for members except break_glass_user_id). tested_at_ms: when a test sign-in
-- last succeeded with the settings as they are (cleared by any change to them).
CREATE TABLE sso_providers (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations(id),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    create_members BIGINT NOT NULL DEFAULT 0,
    group_roles TEXT NOT NULL DEFAULT '',
    default_role TEXT NOT NULL DEFAULT 'read-only',
    mode TEXT NOT NULL DEFAULT 'off',
    break_glass_user_id TEXT REFERENCES users(id),
    tested_at_ms BIGINT,
    tested_claims TEXT,
    updated_at_ms BIGINT NOT NULL
);

-- Which organisation's provider an email domain goes to: a domain belongs to one at most.
CREATE TABLE sso_domains (
    domain TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id)
);
CREATE INDEX sso_domains_by_organisation ON sso_domains (organisation_id);

-- Sign-ins sent to a provider and not back yet: the state (hashed: the browser holds it),
-- the PKCE verifier and nonce to check the answer with. Used once; 10 minutes at most.
CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    purpose TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce TEXT NOT NULL,
    next_path TEXT,
    created_at_ms BIGINT NOT NULL
);
