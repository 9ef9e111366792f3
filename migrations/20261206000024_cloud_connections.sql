-- A cloud connection: the order item that ends in a buyer's cloud account, with what its cloud
-- needs (details_json: the parsed CloudConnection, BGP key included, for the buyer's router
-- configuration), Lightpath's state of it and the cloud's own. `cloud_key` (an ExpressRoute
-- service key, a Partner Interconnect attachment's UUID) is unique: a key connects once. The
-- VLAN is held in vlan_allocations by `vlan_holder` until the connection is released.
CREATE TABLE cloud_connections (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position BIGINT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    cloud TEXT NOT NULL CHECK (cloud IN ('aws', 'azure', 'google')),
    details_json TEXT NOT NULL,
    interface TEXT NOT NULL,
    vlan INTEGER NOT NULL CHECK (vlan BETWEEN 1 AND 4094),
    vlan_holder TEXT NOT NULL,
    cloud_key TEXT UNIQUE,
    -- The AWS hosted connection's id (dxcon-…), made when the order is placed.
    connection_id TEXT UNIQUE,
    state TEXT NOT NULL,
    cloud_state TEXT NOT NULL,
    -- Set when it starts waiting for the buyer's acceptance.
    accept_by_ms BIGINT,
    service_id TEXT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE INDEX cloud_connections_by_service ON cloud_connections (service_id);
CREATE INDEX cloud_connections_awaiting ON cloud_connections (state, accept_by_ms);
CREATE INDEX cloud_connections_by_organisation ON cloud_connections (organisation_id, created_at_ms);

-- How many days of the network's clock a connection waits for the buyer's acceptance before it
-- is released (LIGHTPATH_CLOUD_ACCEPTANCE_DAYS sets it at start-up).
ALTER TABLE network_settings ADD COLUMN cloud_acceptance_days BIGINT NOT NULL DEFAULT 7;
