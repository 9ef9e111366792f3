-- Capacity reservations on spans. `spans.reserved_mbps` is the running total that a
-- conditional UPDATE checks and bumps atomically, so two servers can never sell the last
-- wavelength twice; `span_reservations` says who holds what, so a release is exact.

ALTER TABLE spans ADD COLUMN reserved_mbps BIGINT NOT NULL DEFAULT 0;

CREATE TABLE span_reservations (
    holder TEXT NOT NULL,
    span_id TEXT NOT NULL REFERENCES spans (id),
    mbps BIGINT NOT NULL CHECK (mbps > 0),
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (holder, span_id)
);

CREATE INDEX span_reservations_by_span ON span_reservations (span_id);
