-- Fair webhooks (issue 25): a sender takes the head delivery (the lowest pending number) of the
-- subscription whose organisation has the fewest deliveries in flight, then the one served
-- longest ago, so one customer's slow receivers or backlog never delay another's events.
ALTER TABLE webhook_subscriptions ADD COLUMN last_claimed_ms BIGINT NOT NULL DEFAULT 0;
-- Set when the subscription's backlog reached its cap: new events are not queued for it
-- until an org admin resumes it (what was queued keeps being sent).
ALTER TABLE webhook_subscriptions ADD COLUMN paused_at_ms BIGINT;

-- Deliveries in flight (leased) are few: counting an organisation's is a short range scan.
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (lease_until_ms);
