-- A cloud connection or cloud router in an accepted quote waits for the buyer's cloud details
-- and is then ordered on its own at its quoted price. One row per quote line ordered so:
-- the primary key lets one order take a line at a time; an order that was rejected, failed or
-- cancelled, or whose connection the cloud rejected or let expire, gives the line back (its
-- row is taken over by the next order).
CREATE TABLE quote_cloud_orders (
    quote_id TEXT NOT NULL REFERENCES quotes(id),
    position BIGINT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders(id),
    ordered_at_ms BIGINT NOT NULL,
    PRIMARY KEY (quote_id, position)
);
CREATE INDEX quote_cloud_orders_order ON quote_cloud_orders (order_id);
