-- Product orders (TMF622), their items, their timeline and the provisioning queue.

-- One order per (organisation, idempotency key): a double click or a retry with the same key
-- finds the first order; `request_json` is what was asked, to refuse the same key with
-- another request.
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    design_id TEXT,
    idempotency_key TEXT NOT NULL,
    request_json TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    price_book_version BIGINT NOT NULL,
    monthly_cents BIGINT NOT NULL,
    hourly_cents BIGINT NOT NULL,
    one_time_cents BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (organisation_id, idempotency_key)
);

CREATE INDEX orders_by_organisation ON orders (organisation_id, created_at_ms);

-- `next_step` is how far provisioning got: a restarted worker resumes there, and every step
-- is idempotent, so a step interrupted by a crash runs again without provisioning twice.
CREATE TABLE order_items (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    product TEXT NOT NULL,
    a_end TEXT NOT NULL,
    z_end TEXT NOT NULL,
    spans TEXT NOT NULL,
    mbps BIGINT NOT NULL,
    monthly_cents BIGINT NOT NULL,
    hourly_cents BIGINT NOT NULL,
    one_time_cents BIGINT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    next_step BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE order_events (
    order_id TEXT NOT NULL REFERENCES orders (id),
    seq BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    item BIGINT,
    outcome TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (order_id, seq)
);

-- Accepted orders waiting for (or in) provisioning. A worker takes one by setting a lease;
-- a lease that runs out (the worker died) lets another worker resume the order.
CREATE TABLE provisioning_jobs (
    order_id TEXT PRIMARY KEY REFERENCES orders (id),
    lease_owner TEXT,
    lease_until_ms BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
