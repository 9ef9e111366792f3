-- The simulated clouds' consoles: what a buyer creates in their own cloud before Lightpath can
-- connect to it. An Azure ExpressRoute circuit is found by its service key; a Google Partner
-- Interconnect attachment by its pairing key. Each belongs to the organisation whose member
-- created it; `used_by` is the cloud connection that took it (a key is used once).
CREATE TABLE cloud_keys (
    -- The service key, or the pairing key's first part (a UUID either way).
    key TEXT PRIMARY KEY,
    cloud TEXT NOT NULL CHECK (cloud IN ('azure', 'google')),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    on_ramp TEXT NOT NULL REFERENCES sites (id),
    -- The circuit's bandwidth (Azure) or the attachment's edge availability domain (Google).
    mbps BIGINT,
    domain BIGINT,
    created_by TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    used_by TEXT
);

CREATE INDEX cloud_keys_by_organisation ON cloud_keys (organisation_id, created_at_ms);
