-- The buyer's own purchase-order reference, given on the review before an order is placed and
-- shown with the order (and on invoices later). NULL when none was given.
ALTER TABLE orders ADD COLUMN purchase_order TEXT;

-- The sales engineers' queue asks, per requested design, whether a quote answers it.
CREATE INDEX quotes_by_design ON quotes (design_id);
