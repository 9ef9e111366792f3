-- Webhook subscriptions (TMF688-style hub) and their durable outbox. A delivery row is written
-- in the same transaction as the change it reports; workers on any server send it, leasing it
-- like a provisioning job, so a delivery survives restarts and is sent by one worker at a time.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    url TEXT NOT NULL,
    -- The HMAC-SHA256 key deliveries are signed with: needed in clear to sign, shown once.
    secret TEXT NOT NULL,
    -- Comma-separated event type slugs.
    events TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    removed_at_ms BIGINT
);

CREATE INDEX webhook_subscriptions_by_organisation ON webhook_subscriptions (organisation_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    -- pending | delivered | failed
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_ms BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until_ms BIGINT NOT NULL,
    last_status BIGINT,
    last_error TEXT,
    created_at_ms BIGINT NOT NULL,
    delivered_at_ms BIGINT
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_ms);
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at_ms);
