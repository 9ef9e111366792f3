-- Workload designs saved from the wizard, owned by a customer organisation.
-- `draft_json` is what the buyer typed (kept as typed, so a half-done draft reopens as it was);
-- for a finished design `choice_json` is the chosen bundle and the totals are what the server
-- re-priced on save with price book `price_book_version`.
CREATE TABLE designs (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL,
    name TEXT NOT NULL,
    stages TEXT NOT NULL,
    intent TEXT NOT NULL CHECK (intent IN ('draft', 'saved', 'quote-requested', 'order-requested')),
    draft_json TEXT NOT NULL,
    choice_json TEXT,
    price_book_version BIGINT,
    monthly_cents BIGINT,
    hourly_cents BIGINT,
    one_time_cents BIGINT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    CHECK ((intent = 'draft') = (choice_json IS NULL))
);

CREATE INDEX designs_by_organisation ON designs (organisation_id, updated_at_ms);
