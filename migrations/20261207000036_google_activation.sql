-- A Google Partner Interconnect attachment is created pre-activated (it carries traffic as
-- soon as the partner builds the connection) or not: then the connection waits in
-- PENDING_CUSTOMER until its owner activates it in their Google Cloud console. Attachments
-- made before this were pre-activated (1), as they behaved. Azure circuits: unused.
ALTER TABLE cloud_keys ADD COLUMN pre_activated BIGINT NOT NULL DEFAULT 1;
