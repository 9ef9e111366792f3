-- Credit limits (app/domain/src/credit.rs): what an organisation may owe in a month before a
-- new order waits for an admin. NULL is no limit (organisations the carrier set up itself);
-- self-signed-up organisations start with the domain's SELF_SIGN_UP_LIMIT.
ALTER TABLE organisations ADD COLUMN credit_limit_cents BIGINT;

CREATE INDEX orders_by_state ON orders (state, created_at_ms);
