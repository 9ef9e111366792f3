-- The service inventory (TMF637) and the orders that change it.

-- What an order does (add, modify, disconnect) and, for a change, which service.
ALTER TABLE orders ADD COLUMN action TEXT NOT NULL DEFAULT 'add';
ALTER TABLE orders ADD COLUMN service_id TEXT;

-- Each item keeps what it was priced as (the product option, term and quantities), its
-- round trip, the capacity holder it provisions under (NULL: the item itself, "order/position")
-- and, for a bandwidth change, the rate it had before (to roll back to).
ALTER TABLE order_items ADD COLUMN spec_json TEXT;
ALTER TABLE order_items ADD COLUMN round_trip_micros BIGINT;
ALTER TABLE order_items ADD COLUMN holder TEXT;
ALTER TABLE order_items ADD COLUMN from_mbps BIGINT;

-- A completed item of an add order becomes a service, in the same transaction as its last
-- step (so a crash cannot complete an item without its service). `pending_order_id` is the
-- one change order allowed at a time.
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    order_id TEXT NOT NULL REFERENCES orders (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    product TEXT NOT NULL,
    spec_json TEXT NOT NULL,
    a_end TEXT NOT NULL,
    z_end TEXT NOT NULL,
    spans TEXT NOT NULL,
    mbps BIGINT NOT NULL,
    round_trip_micros BIGINT,
    holder TEXT NOT NULL,
    state TEXT NOT NULL,
    one_time_cents BIGINT NOT NULL,
    pending_order_id TEXT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (order_id, position)
);

CREATE INDEX services_by_organisation ON services (organisation_id, created_at_ms);

-- The rates a service is billed at over time; the open period has no end.
CREATE TABLE service_rates (
    service_id TEXT NOT NULL REFERENCES services (id),
    seq BIGINT NOT NULL,
    from_ms BIGINT NOT NULL,
    to_ms BIGINT,
    mbps BIGINT NOT NULL,
    monthly_cents BIGINT NOT NULL,
    hourly_cents BIGINT NOT NULL,
    PRIMARY KEY (service_id, seq)
);

-- Bumped in the transaction of every product edit: servers keep the catalog in memory and
-- read it again only when this number moved (one tiny query instead of one per product).
CREATE TABLE catalog_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);

INSERT INTO catalog_revision (id, revision) VALUES (1, 0);
