-- Who wrote each quote version, by account id (created_by keeps the display name), so an
-- admin cannot approve a discount they wrote themselves. Versions written before this
-- migration have no recorded author and are approved as before.
ALTER TABLE quote_versions ADD COLUMN created_by_id TEXT;
