-- Sales quotes (TMF648). A quote's versions are never changed: a revision adds a version and
-- the quote points at it. State moves are conditional UPDATEs on (state, current_version), so a
-- decision or an acceptance never applies to a version it did not see.
CREATE TABLE quotes (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    design_id TEXT,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    current_version BIGINT NOT NULL,
    decision TEXT,
    order_id TEXT,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

CREATE INDEX quotes_by_organisation ON quotes (organisation_id, updated_at_ms);

CREATE TABLE quote_versions (
    quote_id TEXT NOT NULL REFERENCES quotes (id),
    version BIGINT NOT NULL,
    price_book_version BIGINT NOT NULL,
    valid_until_ms BIGINT NOT NULL,
    discount_bp BIGINT NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    reason TEXT NOT NULL,
    choice_json TEXT NOT NULL,
    removed_json TEXT NOT NULL,
    items_json TEXT NOT NULL,
    list_monthly_cents BIGINT NOT NULL,
    list_hourly_cents BIGINT NOT NULL,
    list_one_time_cents BIGINT NOT NULL,
    net_monthly_cents BIGINT NOT NULL,
    net_hourly_cents BIGINT NOT NULL,
    net_one_time_cents BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (quote_id, version)
);
