-- Catalog items a sales engineer added to a quote version besides the design's bundle: the
-- configurations (JSON list), kept so a revision starts from them.
ALTER TABLE quote_versions ADD COLUMN added_json TEXT NOT NULL DEFAULT '[]';
