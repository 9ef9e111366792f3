-- The VLANs in use on each interface a cloud connection leaves Lightpath by (an on-ramp's port).
-- The primary key is the guarantee that a VLAN is never given twice on one interface, however
-- many orders ask for it at once; `holder` is what holds it (a cloud connection's order item),
-- at most one VLAN per interface.
CREATE TABLE vlan_allocations (
    interface TEXT NOT NULL,
    vlan INTEGER NOT NULL CHECK (vlan BETWEEN 1 AND 4094),
    holder TEXT NOT NULL,
    PRIMARY KEY (interface, vlan),
    UNIQUE (interface, holder)
);
