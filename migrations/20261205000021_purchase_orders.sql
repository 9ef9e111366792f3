-- The buyer's own purchase-order reference, given on the review before an order is placed and
-- shown with the order (and on invoices later). NULL when none was given.
ALTER TABLE orders ADD COLUMN purchase_order TEXT;
