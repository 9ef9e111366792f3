-- The simulated network's fault-injection policy: one row, set by admins, read by every
-- server's provisioning worker (so all servers fail alike).
CREATE TABLE network_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    failure_rate_bp BIGINT NOT NULL,
    mix_device_timeout BIGINT NOT NULL,
    mix_activation BIGINT NOT NULL,
    mix_test BIGINT NOT NULL,
    speedup BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

INSERT INTO network_settings (id, failure_rate_bp, mix_device_timeout, mix_activation, mix_test, speedup, updated_at_ms)
VALUES (1, 200, 60, 15, 25, 1000, 0);
