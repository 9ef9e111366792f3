-- Outages: a span of the network down (network operations cut it in the simulated network),
-- the services whose routes crossed it when it went down (their organisations are told), and
-- when it came back. Whether a service is down is read from the open outages of its route's
-- spans, so a service ordered onto a span while it is down is down too.

CREATE TABLE outages (
    id TEXT PRIMARY KEY,
    span_id TEXT NOT NULL REFERENCES spans (id),
    span_name TEXT NOT NULL,
    cause TEXT NOT NULL,
    started_at_ms BIGINT NOT NULL,
    ended_at_ms BIGINT,
    opened_by TEXT NOT NULL,
    closed_by TEXT,
    CHECK (ended_at_ms IS NULL OR ended_at_ms >= started_at_ms)
);

-- A span is down once at a time: two operators cutting it together open one outage.
CREATE UNIQUE INDEX outages_one_open_per_span ON outages (span_id) WHERE ended_at_ms IS NULL;
CREATE INDEX outages_by_start ON outages (started_at_ms);

CREATE TABLE outage_services (
    outage_id TEXT NOT NULL REFERENCES outages (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (outage_id, service_id)
);

CREATE INDEX outage_services_by_organisation ON outage_services (organisation_id, outage_id);
CREATE INDEX outage_services_by_service ON outage_services (service_id, outage_id);
