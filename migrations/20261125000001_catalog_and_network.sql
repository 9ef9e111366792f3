-- Catalog, price books and the network. Portable SQL: the same file runs on SQLite and
-- PostgreSQL (integers are BIGINT, floats DOUBLE PRECISION, times epoch milliseconds).

CREATE TABLE seed_runs (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    applied_at_ms BIGINT NOT NULL
);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    tagline TEXT NOT NULL,
    description TEXT NOT NULL,
    billing TEXT NOT NULL
);

CREATE TABLE product_stages (
    product_id TEXT NOT NULL REFERENCES products (id),
    stage TEXT NOT NULL,
    PRIMARY KEY (product_id, stage)
);

CREATE TABLE product_terms (
    product_id TEXT NOT NULL REFERENCES products (id),
    months BIGINT NOT NULL,
    PRIMARY KEY (product_id, months)
);

CREATE TABLE product_options (
    product_id TEXT NOT NULL REFERENCES products (id),
    code TEXT NOT NULL,
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    bandwidth_mbps BIGINT,
    PRIMARY KEY (product_id, code)
);

-- A price book version is a draft until published; published versions are never edited.
CREATE TABLE price_books (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    created_at_ms BIGINT NOT NULL,
    published_at_ms BIGINT
);

CREATE TABLE price_lines (
    price_book_version BIGINT NOT NULL REFERENCES price_books (version),
    position BIGINT NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (id),
    option_code TEXT NOT NULL,
    label TEXT NOT NULL,
    charge TEXT NOT NULL,
    unit TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    -- Comma-separated months the line applies to (0 = on demand); empty = every term.
    terms TEXT NOT NULL,
    PRIMARY KEY (price_book_version, position),
    FOREIGN KEY (product_id, option_code) REFERENCES product_options (product_id, code)
);

CREATE TABLE term_adjustments (
    price_book_version BIGINT NOT NULL REFERENCES price_books (version),
    product_id TEXT NOT NULL REFERENCES products (id),
    months BIGINT NOT NULL,
    basis_points BIGINT NOT NULL,
    PRIMARY KEY (price_book_version, product_id, months)
);

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    metro_id TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    operator TEXT,
    access_km BIGINT NOT NULL
);

CREATE INDEX sites_by_metro ON sites (metro_id);

CREATE TABLE spans (
    id TEXT PRIMARY KEY,
    a_site TEXT NOT NULL REFERENCES sites (id),
    z_site TEXT NOT NULL REFERENCES sites (id),
    route_km BIGINT NOT NULL,
    wavelengths BIGINT NOT NULL,
    wavelength_gbps BIGINT NOT NULL,
    fiber_pairs BIGINT NOT NULL
);
