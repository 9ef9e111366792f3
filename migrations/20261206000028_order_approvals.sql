-- Approvals inside the customer: orders whose first month is over the amount an organisation
-- sets wait (state `pending`) for a second member's approval. NULL: no order waits.
ALTER TABLE organisations ADD COLUMN approval_threshold_cents BIGINT;

-- Who placed an order, so the person who placed it cannot be the one who approves it (the
-- name in `created_by` is for people to read, not to compare). NULL for orders placed before.
ALTER TABLE orders ADD COLUMN placed_by_user_id TEXT;
