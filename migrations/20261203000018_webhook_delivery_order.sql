-- Each subscription's deliveries are numbered in the order their changes committed, and a
-- sender takes a delivery only when none before it is still pending, so a receiver sees an
-- order's states in the order they happened. Publishing takes the next number by updating the
-- subscription's counter: on PostgreSQL that row lock makes a second publisher wait for the
-- first to commit, so a higher number is never visible before a lower one.
ALTER TABLE webhook_subscriptions ADD COLUMN deliveries_numbered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN number BIGINT NOT NULL DEFAULT 0;

UPDATE webhook_deliveries SET number = (
    SELECT COUNT(*) FROM webhook_deliveries earlier
    WHERE earlier.subscription_id = webhook_deliveries.subscription_id
      AND (earlier.created_at_ms < webhook_deliveries.created_at_ms
           OR (earlier.created_at_ms = webhook_deliveries.created_at_ms AND earlier.id <= webhook_deliveries.id))
);
UPDATE webhook_subscriptions SET deliveries_numbered = (
    SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = webhook_subscriptions.id
);

CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (subscription_id, state, number);
