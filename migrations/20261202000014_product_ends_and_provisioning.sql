-- What the configurator asks for and how long provisioning takes, per product: the sites a
-- product is delivered at ('none', 'one', or 'two' routed between them), the lead time and
-- the minutes of each provisioning step on the network. Admins set them for new products;
-- the seeded products get the values the code used to hold.
ALTER TABLE products ADD COLUMN ends TEXT NOT NULL DEFAULT 'one';
ALTER TABLE products ADD COLUMN lead_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE products ADD COLUMN configure_minutes BIGINT NOT NULL DEFAULT 40;
ALTER TABLE products ADD COLUMN activate_minutes BIGINT NOT NULL DEFAULT 20;
ALTER TABLE products ADD COLUMN test_minutes BIGINT NOT NULL DEFAULT 60;

UPDATE products SET ends = 'two', lead_days = 30, configure_minutes = 60, activate_minutes = 30, test_minutes = 90
 WHERE id = 'wavelengths-400g';
UPDATE products SET ends = 'two', lead_days = 90, configure_minutes = 960, activate_minutes = 480, test_minutes = 1440
 WHERE id = 'dark-fiber';
UPDATE products SET ends = 'two', lead_days = 0, configure_minutes = 2, activate_minutes = 1, test_minutes = 3
 WHERE id = 'programmable-connectivity';
UPDATE products SET ends = 'one', lead_days = 1, configure_minutes = 2, activate_minutes = 1, test_minutes = 3
 WHERE id = 'internet-on-demand';
UPDATE products SET ends = 'none', lead_days = 30, configure_minutes = 20, activate_minutes = 10, test_minutes = 30
 WHERE id = 'ip-vpn';
UPDATE products SET ends = 'none', lead_days = 10, configure_minutes = 20, activate_minutes = 10, test_minutes = 30
 WHERE id = 'managed-sase';
UPDATE products SET ends = 'one', lead_days = 5, configure_minutes = 20, activate_minutes = 10, test_minutes = 30
 WHERE id = 'ddos-mitigation';
UPDATE products SET ends = 'one', lead_days = 30, configure_minutes = 40, activate_minutes = 20, test_minutes = 60
 WHERE id = 'colocation';
