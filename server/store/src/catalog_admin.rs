//! Catalog changes by admins: product texts, and price books as versions. A draft is copied
//! from the current version, edited, checked and published; published versions are never
//! edited, so quotes and orders that name a version keep their prices for ever.

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::Actor;
pub use lightpath_domain::records::PriceBookSummary;
use lightpath_domain::{Money, ProductId};
use sqlx::Row;

/// Why a change to the catalog or a price book was refused (the domain's `CatalogError` is
/// about a product record itself).
#[derive(Debug, thiserror::Error)]
pub enum CatalogEditError {
    #[error("no such record")]
    NotFound,
    #[error("price book v{0} is published; published prices never change. Open a draft to make changes.")]
    NotDraft(i64),
    /// The draft cannot be published; each entry says what to fix.
    #[error("the draft has problems: {}", .0.join(" "))]
    Problems(Vec<String>),
    /// One field of an admin's form cannot be used (a product id or option code taken).
    #[error("{message}")]
    Field { field: &'static str, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CatalogEditError {
    fn from(error: sqlx::Error) -> Self {
        CatalogEditError::Store(StoreError::Database(error))
    }
}

/// The editable texts of a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductTexts {
    pub name: String,
    pub tagline: String,
    pub description: String,
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

pub(crate) async fn status_of(tx: &mut Tx, version: i64) -> Result<String, CatalogEditError> {
    sqlx::query("SELECT status FROM price_books WHERE version = $1")
        .bind(version)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(CatalogEditError::NotFound)?
        .try_get("status")
        .map_err(CatalogEditError::from)
}

/// Refuses a product id the catalog does not have.
pub(crate) async fn require_product(tx: &mut Tx, product: &ProductId) -> Result<(), CatalogEditError> {
    let known: Option<String> = sqlx::query_scalar("SELECT id FROM products WHERE id = $1")
        .bind(product.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    known.map(|_| ()).ok_or(CatalogEditError::NotFound)
}

impl Store {
    /// Every price book version, newest first.
    pub async fn price_books(&self) -> Result<Vec<PriceBookSummary>, StoreError> {
        sqlx::query(
            "SELECT version, name, status, created_at_ms, published_at_ms FROM price_books ORDER BY version DESC",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(PriceBookSummary {
                version: row.try_get("version")?,
                name: row.try_get("name")?,
                status: row.try_get("status")?,
                created_at_ms: row.try_get("created_at_ms")?,
                published_at_ms: row.try_get("published_at_ms")?,
            })
        })
        .collect()
    }

    /// The open draft, or a new one copied from the current published version.
    pub async fn open_draft(&self, by: &Actor) -> Result<i64, CatalogEditError> {
        let mut tx = self.begin_write().await?;
        if let Some(row) =
            sqlx::query("SELECT version FROM price_books WHERE status = 'draft' ORDER BY version DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?
        {
            return Ok(row.try_get("version")?);
        }
        let current: i64 =
            sqlx::query("SELECT version FROM price_books WHERE status = 'published' ORDER BY version DESC LIMIT 1")
                .fetch_one(&mut *tx)
                .await?
                .try_get("version")?;
        let next: i64 =
            sqlx::query("SELECT MAX(version) AS v FROM price_books").fetch_one(&mut *tx).await?.try_get("v")?;
        let next = next + 1;
        let name = format!("Price book v{next}");
        sqlx::query("INSERT INTO price_books (version, name, status, created_at_ms) VALUES ($1, $2, 'draft', $3)")
            .bind(next)
            .bind(&name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO price_lines (price_book_version, position, product_id, option_code, label, charge, unit, amount_cents, terms)
             SELECT $1, position, product_id, option_code, label, charge, unit, amount_cents, terms FROM price_lines WHERE price_book_version = $2",
        )
        .bind(next)
        .bind(current)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO term_adjustments (price_book_version, product_id, months, basis_points)
             SELECT $1, product_id, months, basis_points FROM term_adjustments WHERE price_book_version = $2",
        )
        .bind(next)
        .bind(current)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO termination_shares (price_book_version, product_id, basis_points)
             SELECT $1, product_id, basis_points FROM termination_shares WHERE price_book_version = $2",
        )
        .bind(next)
        .bind(current)
        .execute(&mut *tx)
        .await?;
        let after = serde_json::json!({ "version": next, "copied_from": current });
        audit::record(&mut tx, by, "price-book.draft", &format!("price book v{next}"), None, Change::created(after))
            .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Sets the amounts of a draft's lines, by position, in one transaction: all of them or,
    /// when one position is not a line of the draft, none. Each line whose amount changes is
    /// audited. Negative amounts are refused here too, not only at publishing, so a draft never
    /// holds one. Answers how many lines changed.
    pub async fn set_prices(
        &self,
        by: &Actor,
        version: i64,
        amounts: &std::collections::BTreeMap<i64, Money>,
    ) -> Result<usize, CatalogEditError> {
        if amounts.values().any(|amount| amount.is_negative()) {
            return Err(CatalogEditError::Problems(vec!["Prices must be zero or more.".into()]));
        }
        let mut tx = self.begin_write().await?;
        if status_of(&mut tx, version).await? != "draft" {
            return Err(CatalogEditError::NotDraft(version));
        }
        let rows = sqlx::query(
            "SELECT position, product_id, option_code, label, amount_cents FROM price_lines WHERE price_book_version = $1",
        )
        .bind(version)
        .fetch_all(&mut *tx)
        .await?;
        let mut lines = std::collections::BTreeMap::new();
        for row in rows {
            let line = format!(
                "{} {} “{}”",
                row.try_get::<String, _>("product_id")?,
                row.try_get::<String, _>("option_code")?,
                row.try_get::<String, _>("label")?
            );
            lines.insert(row.try_get::<i64, _>("position")?, (line, row.try_get::<i64, _>("amount_cents")?));
        }
        if amounts.keys().any(|position| !lines.contains_key(position)) {
            return Err(CatalogEditError::Problems(vec![
                "The draft's lines changed while you edited them: reload the page and enter the prices again.".into(),
            ]));
        }
        let mut changed = 0;
        for (position, amount) in amounts {
            let (line, before) = &lines[position];
            if *before == amount.cents() {
                continue;
            }
            sqlx::query("UPDATE price_lines SET amount_cents = $1 WHERE price_book_version = $2 AND position = $3")
                .bind(amount.cents())
                .bind(version)
                .bind(position)
                .execute(&mut *tx)
                .await?;
            let change = Change::updated(
                serde_json::json!({ "line": line, "amount_cents": before }),
                serde_json::json!({ "line": line, "amount_cents": amount.cents() }),
            );
            audit::record(&mut tx, by, "price-book.edit", &format!("price book v{version}"), None, change).await?;
            changed += 1;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Sets a draft's early termination share of one product, in basis points of the remaining
    /// committed monthly charges (0 to 10,000).
    pub async fn set_termination_share(
        &self,
        by: &Actor,
        version: i64,
        product: &ProductId,
        basis_points: u32,
    ) -> Result<(), CatalogEditError> {
        if basis_points > lightpath_domain::price_book::FULL_TERMINATION_SHARE {
            return Err(CatalogEditError::Problems(vec!["A share is at most 100 % of what is left.".into()]));
        }
        let mut tx = self.begin_write().await?;
        if status_of(&mut tx, version).await? != "draft" {
            return Err(CatalogEditError::NotDraft(version));
        }
        require_product(&mut tx, product).await?;
        let before: Option<i64> = sqlx::query_scalar(
            "SELECT basis_points FROM termination_shares WHERE price_book_version = $1 AND product_id = $2",
        )
        .bind(version)
        .bind(product.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM termination_shares WHERE price_book_version = $1 AND product_id = $2")
            .bind(version)
            .bind(product.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO termination_shares (price_book_version, product_id, basis_points) VALUES ($1, $2, $3)",
        )
        .bind(version)
        .bind(product.as_str())
        .bind(i64::from(basis_points))
        .execute(&mut *tx)
        .await?;
        let change = Change::updated(
            serde_json::json!({ "product": product.as_str(), "early_termination_bp": before }),
            serde_json::json!({ "product": product.as_str(), "early_termination_bp": basis_points }),
        );
        audit::record(&mut tx, by, "price-book.edit", &format!("price book v{version}"), None, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a draft against the catalog and makes it the current price book. The version it
    /// replaces is retired: still readable (quotes name it), never edited.
    pub async fn publish_price_book(&self, by: &Actor, version: i64) -> Result<(), CatalogEditError> {
        let book = self.price_book(version).await?.ok_or(CatalogEditError::NotFound)?;
        let problems = book.problems(&self.products().await?);
        if !problems.is_empty() {
            return Err(CatalogEditError::Problems(problems));
        }
        let mut tx = self.begin_write().await?;
        if status_of(&mut tx, version).await? != "draft" {
            return Err(CatalogEditError::NotDraft(version));
        }
        let previous: Option<i64> =
            sqlx::query("SELECT version FROM price_books WHERE status = 'published' ORDER BY version DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get("version"))
                .transpose()?;
        sqlx::query("UPDATE price_books SET status = 'retired' WHERE status = 'published'").execute(&mut *tx).await?;
        sqlx::query("UPDATE price_books SET status = 'published', published_at_ms = $1 WHERE version = $2")
            .bind(now_ms())
            .bind(version)
            .execute(&mut *tx)
            .await?;
        let change =
            Change::updated(serde_json::json!({ "current": previous }), serde_json::json!({ "current": version }));
        audit::record(&mut tx, by, "price-book.publish", &format!("price book v{version}"), None, change).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(())
    }

    /// Changes a product's name, tagline and description.
    pub async fn update_product_texts(
        &self,
        by: &Actor,
        id: &ProductId,
        texts: &ProductTexts,
    ) -> Result<(), CatalogEditError> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT name, tagline, description FROM products WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(CatalogEditError::NotFound)?;
        let before = ProductTexts {
            name: row.try_get("name")?,
            tagline: row.try_get("tagline")?,
            description: row.try_get("description")?,
        };
        if &before == texts {
            return Ok(());
        }
        sqlx::query("UPDATE products SET name = $1, tagline = $2, description = $3 WHERE id = $4")
            .bind(&texts.name)
            .bind(&texts.tagline)
            .bind(&texts.description)
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        // Every server's catalog cache reads the products again.
        sqlx::query("UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1").execute(&mut *tx).await?;
        let json = |t: &ProductTexts| serde_json::json!({ "name": t.name, "tagline": t.tagline, "description": t.description });
        audit::record(
            &mut tx,
            by,
            "product.edit",
            &format!("product {id}"),
            None,
            Change::updated(json(&before), json(texts)),
        )
        .await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(())
    }
}
