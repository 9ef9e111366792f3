-- A cloud router: the order item that becomes a virtual layer-3 router at a site, with its
-- AS number. Its service id is set when the item is built.
CREATE TABLE cloud_routers (
    order_id TEXT NOT NULL REFERENCES orders (id),
    position BIGINT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    site_id TEXT NOT NULL,
    asn BIGINT NOT NULL CHECK (asn BETWEEN 1 AND 4294967294),
    service_id TEXT,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE INDEX cloud_routers_by_service ON cloud_routers (service_id);

-- A cloud connection may be attached to one of the organisation's cloud routers (its service
-- id), with the prefix filter the router applies to what the cloud announces over it (one
-- line each, as routers write them; empty: everything).
ALTER TABLE cloud_connections ADD COLUMN router_service_id TEXT;
ALTER TABLE cloud_connections ADD COLUMN import_filter TEXT NOT NULL DEFAULT '';
CREATE INDEX cloud_connections_by_router ON cloud_connections (router_service_id);
