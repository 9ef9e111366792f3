-- Monthly invoices (TMF678 customer bills). One-time charges are kept with the moment they
-- were made, so each is billed in the period it falls in; services.one_time_cents stays their
-- sum (the spend the services pages show).

CREATE TABLE service_charges (
    service_id TEXT NOT NULL REFERENCES services (id),
    order_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('installation', 'change-fee', 'early-termination')),
    at_ms BIGINT NOT NULL,
    cents BIGINT NOT NULL,
    PRIMARY KEY (service_id, order_id, kind)
);

-- Services from before: their one-time charges as made when the service was created.
INSERT INTO service_charges (service_id, order_id, kind, at_ms, cents)
SELECT id, order_id, 'installation', created_at_ms, one_time_cents FROM services WHERE one_time_cents <> 0;

-- Issued invoices are never changed: the store has no statement that updates or deletes them.
-- One sequence per organisation with no gaps, and one invoice per period start, so two
-- servers running the same billing run issue it once.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    sequence BIGINT NOT NULL,
    bill_no TEXT NOT NULL UNIQUE,
    period_start_ms BIGINT NOT NULL,
    period_end_ms BIGINT NOT NULL,
    issued_at_ms BIGINT NOT NULL,
    amount_due_cents BIGINT NOT NULL,
    UNIQUE (organisation_id, sequence),
    UNIQUE (organisation_id, period_start_ms),
    CHECK (period_end_ms > period_start_ms)
);

CREATE TABLE invoice_lines (
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    position BIGINT NOT NULL,
    service_id TEXT NOT NULL,
    service_title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('recurring', 'usage', 'oneTime')),
    name TEXT NOT NULL,
    from_ms BIGINT NOT NULL,
    to_ms BIGINT NOT NULL,
    cents BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
