//! Catalog repository: products with their stages, terms and options, and price books.

use crate::{Store, StoreError};
use lightpath_domain::catalog::{
    Bandwidth, Ends, LifecycleStage, Product, ProductId, ProductOption, Provisioning, Term,
};
use lightpath_domain::price_book::{Charge, PriceBook, PriceLine, PriceUnit, TermAdjustment, TerminationShare};
use lightpath_domain::Money;
use sqlx::Row;

/// `[0, 12]` → `"0,12"`; empty for "every term".
pub(crate) fn terms_to_text(terms: &[Term]) -> String {
    terms.iter().map(|term| term.months().to_string()).collect::<Vec<_>>().join(",")
}

fn terms_from_text(text: &str) -> Result<Vec<Term>, StoreError> {
    text.split(',')
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<u8>()
                .ok()
                .and_then(|months| Term::from_months(months).ok())
                .ok_or_else(|| StoreError::Corrupt(format!("term list “{text}”")))
        })
        .collect()
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

impl Store {
    /// Every product of the catalog, in catalog order.
    pub async fn products(&self) -> Result<Vec<Product>, StoreError> {
        let revision = self.catalog_versions().await?.revision;
        if let Some((cached, products)) = crate::lock(&self.cache.products).as_ref() {
            if *cached == revision {
                return Ok(products.clone());
            }
        }
        let products = self.read_products().await?;
        *crate::lock(&self.cache.products) = Some((revision, products.clone()));
        Ok(products)
    }

    async fn read_products(&self) -> Result<Vec<Product>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, tagline, description, billing, ends, lead_days, configure_minutes, activate_minutes, \
             test_minutes FROM products ORDER BY position, id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut products = Vec::with_capacity(rows.len());
        for row in rows {
            products.push(self.complete_product(&row).await?);
        }
        Ok(products)
    }

    /// One product, or None when no product has that id (from the catalog in memory).
    pub async fn product(&self, id: &ProductId) -> Result<Option<Product>, StoreError> {
        Ok(self.products().await?.into_iter().find(|product| &product.id == id))
    }

    async fn complete_product(&self, row: &sqlx::any::AnyRow) -> Result<Product, StoreError> {
        let id_text: String = row.try_get("id")?;
        let id = ProductId::parse(&id_text).map_err(corrupt)?;
        let stages = sqlx::query("SELECT stage FROM product_stages WHERE product_id = $1 ORDER BY stage")
            .bind(&id_text)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                r.try_get::<String, _>("stage").map_err(StoreError::from)?.parse::<LifecycleStage>().map_err(corrupt)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut stages = stages;
        stages.sort();
        let terms = sqlx::query("SELECT months FROM product_terms WHERE product_id = $1 ORDER BY months")
            .bind(&id_text)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let months: i64 = r.try_get("months")?;
                u8::try_from(months)
                    .ok()
                    .and_then(|m| Term::from_months(m).ok())
                    .ok_or_else(|| corrupt(format!("term {months}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let options = sqlx::query(
            "SELECT code, label, bandwidth_mbps FROM product_options WHERE product_id = $1 ORDER BY position",
        )
        .bind(&id_text)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let bandwidth: Option<i64> = r.try_get("bandwidth_mbps")?;
            let bandwidth = bandwidth
                .map(|mbps| u64::try_from(mbps).map_err(corrupt).and_then(|m| Bandwidth::from_mbps(m).map_err(corrupt)))
                .transpose()?;
            Ok(ProductOption { code: r.try_get("code")?, label: r.try_get("label")?, bandwidth })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let ends: String = row.try_get("ends")?;
        let minutes = |column: &str| -> Result<u32, StoreError> {
            let value: i64 = row.try_get(column)?;
            u32::try_from(value).map_err(|_| corrupt(format!("product {id_text} {column} {value}")))
        };
        let provisioning = Provisioning {
            lead_days: minutes("lead_days")?,
            configure_minutes: minutes("configure_minutes")?,
            activate_minutes: minutes("activate_minutes")?,
            test_minutes: minutes("test_minutes")?,
        };
        Ok(Product {
            ends: Ends::parse(&ends).ok_or_else(|| corrupt(format!("product {id_text} ends {ends}")))?,
            provisioning,
            id,
            name: row.try_get("name")?,
            tagline: row.try_get("tagline")?,
            description: row.try_get("description")?,
            billing: row.try_get("billing")?,
            stages,
            terms,
            options,
        })
    }

    /// The newest published price book: what new designs and quotes are priced with.
    pub async fn current_price_book(&self) -> Result<PriceBook, StoreError> {
        let version = self.catalog_versions().await?.price_book.ok_or_else(|| corrupt("no published price book"))?;
        // A published price book never changes: read it once.
        if let Some(book) = crate::lock(&self.cache.published_books).get(&version) {
            return Ok(book.clone());
        }
        let book = self.price_book(version).await?.ok_or_else(|| corrupt(format!("price book {version} vanished")))?;
        crate::lock(&self.cache.published_books).insert(version, book.clone());
        Ok(book)
    }

    /// The catalog revision and the current price book's version: from memory when read less
    /// than [`crate::CATALOG_FRESHNESS`] ago, otherwise in one query.
    pub async fn catalog_versions(&self) -> Result<crate::CatalogVersions, StoreError> {
        if let Some((read_at, versions)) = *crate::lock(&self.cache.versions) {
            if read_at.elapsed() < crate::CATALOG_FRESHNESS {
                return Ok(versions);
            }
        }
        let read_at = std::time::Instant::now();
        let row = sqlx::query(
            "SELECT (SELECT revision FROM catalog_revision WHERE id = 1) AS revision, \
             (SELECT MAX(version) FROM price_books WHERE status = 'published') AS price_book",
        )
        .fetch_one(self.pool())
        .await?;
        let versions =
            crate::CatalogVersions { revision: row.try_get("revision")?, price_book: row.try_get("price_book")? };
        *crate::lock(&self.cache.versions) = Some((read_at, versions));
        Ok(versions)
    }

    /// Forgets the versions read last, after this server changed the catalog or price books.
    pub(crate) fn catalog_changed(&self) {
        *crate::lock(&self.cache.versions) = None;
    }

    /// A price book by version, published or not.
    pub async fn price_book(&self, version: i64) -> Result<Option<PriceBook>, StoreError> {
        let Some(header) = sqlx::query("SELECT version, name FROM price_books WHERE version = $1")
            .bind(version)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let lines = sqlx::query(
            "SELECT product_id, option_code, label, charge, unit, amount_cents, terms FROM price_lines
             WHERE price_book_version = $1 ORDER BY position",
        )
        .bind(version)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let charge: String = r.try_get("charge")?;
            let unit: String = r.try_get("unit")?;
            let terms: String = r.try_get("terms")?;
            Ok(PriceLine {
                product: ProductId::parse(&r.try_get::<String, _>("product_id")?).map_err(corrupt)?,
                option: r.try_get("option_code")?,
                label: r.try_get("label")?,
                charge: Charge::parse(&charge).ok_or_else(|| corrupt(format!("charge {charge}")))?,
                unit: PriceUnit::parse(&unit).ok_or_else(|| corrupt(format!("unit {unit}")))?,
                amount: Money::from_cents(r.try_get("amount_cents")?),
                terms: terms_from_text(&terms)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let adjustments = sqlx::query(
            "SELECT product_id, months, basis_points FROM term_adjustments WHERE price_book_version = $1 ORDER BY product_id, months",
        )
        .bind(version)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let months: i64 = r.try_get("months")?;
            let basis_points: i64 = r.try_get("basis_points")?;
            Ok(TermAdjustment {
                product: ProductId::parse(&r.try_get::<String, _>("product_id")?).map_err(corrupt)?,
                term: u8::try_from(months).ok().and_then(|m| Term::from_months(m).ok()).ok_or_else(|| corrupt(format!("term {months}")))?,
                basis_points: i32::try_from(basis_points).map_err(corrupt)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let terminations = sqlx::query(
            "SELECT product_id, basis_points FROM termination_shares WHERE price_book_version = $1 ORDER BY product_id",
        )
        .bind(version)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(TerminationShare {
                product: ProductId::parse(&r.try_get::<String, _>("product_id")?).map_err(corrupt)?,
                basis_points: u32::try_from(r.try_get::<i64, _>("basis_points")?).map_err(corrupt)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(PriceBook {
            version: u32::try_from(header.try_get::<i64, _>("version")?).map_err(corrupt)?,
            name: header.try_get("name")?,
            lines,
            adjustments,
            terminations,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_lists_round_trip() {
        let terms = vec![Term::OnDemand, Term::Months12, Term::Months24];
        assert_eq!(terms_to_text(&terms), "0,12,24");
        assert_eq!(terms_from_text("0,12,24").unwrap(), terms);
        assert_eq!(terms_from_text("").unwrap(), vec![]);
        assert!(terms_from_text("7").is_err());
    }
}
