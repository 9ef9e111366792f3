-- Adding a member is an invitation (server/store/src/invitations.rs): the org admin's answer
-- and the organisation page are the same whether or not the email already had an account, so
-- nobody can probe which addresses exist. A new address gets an account that turns into a
-- member at its first sign-in; an existing person is told instead (a notice), and nothing
-- else changes.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The account made for a new address; NULL when the address belonged to someone already.
    user_id TEXT REFERENCES users (id),
    invited_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (organisation_id, email)
);

-- Messages for one person, shown on their dashboard until dismissed.
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    message TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE INDEX notices_by_user ON notices (user_id, created_at_ms);
