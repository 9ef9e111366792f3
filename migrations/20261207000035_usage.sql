-- Usage and performance per service, as the simulated network measures it
-- (lightpath_domain::usage): each row covers `samples` 5-minute samples from `first_sample`
-- (sample 0 starts at the service's activation, on the network's simulated clock). A
-- 5-minute sample is one row for the last 7 simulated days of a service's life; older ones
-- are rolled up into one row per hour, kept for 180 days, then dropped. Latency, jitter and
-- loss are sums over the samples that were up, so every roll-up keeps exact totals and means.

CREATE TABLE usage_points (
    service_id TEXT NOT NULL REFERENCES services (id),
    first_sample BIGINT NOT NULL,
    samples BIGINT NOT NULL,
    down_samples BIGINT NOT NULL,
    bytes_in BIGINT NOT NULL,
    bytes_out BIGINT NOT NULL,
    latency_us_sum BIGINT NOT NULL,
    jitter_us_sum BIGINT NOT NULL,
    loss_ppm_sum BIGINT NOT NULL,
    PRIMARY KEY (service_id, first_sample),
    CHECK (samples BETWEEN 1 AND 12 AND down_samples BETWEEN 0 AND samples)
);

-- A utilisation alert per service (lightpath_domain::usage::AlertRule): fires when the busier
-- direction stays at or over `threshold_percent` of the line rate for `minutes`; the collector
-- sets `firing_since_ms` (wall clock) when it fires and clears it when it resolves, telling
-- the organisation by webhook (`usage-alert`) each time.
CREATE TABLE usage_alerts (
    service_id TEXT PRIMARY KEY REFERENCES services (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    threshold_percent BIGINT NOT NULL CHECK (threshold_percent BETWEEN 1 AND 100),
    minutes BIGINT NOT NULL CHECK (minutes BETWEEN 5 AND 1440),
    firing_since_ms BIGINT,
    updated_at_ms BIGINT NOT NULL
);

CREATE INDEX usage_alerts_by_organisation ON usage_alerts (organisation_id);
