-- Early termination (app/domain/src/service.rs): per price book and product, the share of the
-- remaining committed monthly charges that ending a term early costs. A product without a row
-- is charged all of them.
CREATE TABLE termination_shares (
    price_book_version BIGINT NOT NULL REFERENCES price_books (version),
    product_id TEXT NOT NULL REFERENCES products (id),
    basis_points BIGINT NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    PRIMARY KEY (price_book_version, product_id)
);
