-- Planned maintenance: a window on a span or a site that Lightpath's network operations
-- announce, and the services it touches (found from their routes when it is announced), so
-- each customer sees the notices about their own services and nobody else's.

CREATE TABLE maintenance_windows (
    id TEXT PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('span', 'site')),
    target_id TEXT NOT NULL,
    target_name TEXT NOT NULL,
    starts_at_ms BIGINT NOT NULL,
    ends_at_ms BIGINT NOT NULL,
    impact TEXT NOT NULL CHECK (impact IN ('outage', 'degraded', 'none-expected')),
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    cancelled_at_ms BIGINT,
    CHECK (ends_at_ms > starts_at_ms)
);

CREATE INDEX maintenance_windows_by_start ON maintenance_windows (starts_at_ms);

CREATE TABLE maintenance_notices (
    window_id TEXT NOT NULL REFERENCES maintenance_windows (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (window_id, service_id)
);

CREATE INDEX maintenance_notices_by_organisation ON maintenance_notices (organisation_id, window_id);
CREATE INDEX maintenance_notices_by_service ON maintenance_notices (service_id, window_id);
