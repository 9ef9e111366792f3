//! Growing the catalog from the portal: admins add products and options. A new option has no
//! price until a draft price book prices it; publishing refuses a draft that leaves any option
//! unpriced at a term it is sold on, so nothing new is ever sold for nothing.

use crate::audit::{self, Change};
use crate::catalog::terms_to_text;
use crate::catalog_admin::CatalogEditError;
use crate::Store;
use lightpath_domain::account::Actor;
use lightpath_domain::catalog::{Product, ProductId, ProductOption};
use lightpath_domain::price_book::PriceLine;
use sqlx::Row;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

async fn insert_option(tx: &mut Tx, product: &ProductId, option: &ProductOption) -> Result<(), CatalogEditError> {
    let position: i64 = sqlx::query(
        "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) AS next FROM product_options WHERE product_id = $1",
    )
    .bind(product.as_str())
    .fetch_one(&mut **tx)
    .await?
    .try_get("next")?;
    let inserted = sqlx::query(
        "INSERT INTO product_options (product_id, code, position, label, bandwidth_mbps) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING",
    )
    .bind(product.as_str())
    .bind(&option.code)
    .bind(position)
    .bind(&option.label)
    .bind(option.bandwidth.map(|bandwidth| bandwidth.mbps() as i64))
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() != 1 {
        return Err(CatalogEditError::Field {
            field: "option_code",
            message: format!("The product already has an option “{}”: choose another code.", option.code),
        });
    }
    Ok(())
}

/// Every server's catalog cache reads the products again.
async fn bump_revision(tx: &mut Tx) -> Result<(), CatalogEditError> {
    sqlx::query("UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1").execute(&mut **tx).await?;
    Ok(())
}

fn option_json(option: &ProductOption) -> serde_json::Value {
    serde_json::json!({ "code": option.code, "label": option.label, "mbps": option.bandwidth.map(|b| b.mbps()) })
}

/// Writes a product with its stages, terms and options at `position`; false (and nothing
/// written) when a product has that id already. The seed loads its products with it too.
pub(crate) async fn insert_product(tx: &mut Tx, product: &Product, position: i64) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO products (id, position, name, tagline, description, billing, ends, lead_days,
             configure_minutes, activate_minutes, test_minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING",
    )
    .bind(product.id.as_str())
    .bind(position)
    .bind(&product.name)
    .bind(&product.tagline)
    .bind(&product.description)
    .bind(&product.billing)
    .bind(product.ends.slug())
    .bind(i64::from(product.provisioning.lead_days))
    .bind(i64::from(product.provisioning.configure_minutes))
    .bind(i64::from(product.provisioning.activate_minutes))
    .bind(i64::from(product.provisioning.test_minutes))
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() != 1 {
        return Ok(false);
    }
    for stage in &product.stages {
        sqlx::query("INSERT INTO product_stages (product_id, stage) VALUES ($1, $2)")
            .bind(product.id.as_str())
            .bind(stage.slug())
            .execute(&mut **tx)
            .await?;
    }
    for term in &product.terms {
        sqlx::query("INSERT INTO product_terms (product_id, months) VALUES ($1, $2)")
            .bind(product.id.as_str())
            .bind(i64::from(term.months()))
            .execute(&mut **tx)
            .await?;
    }
    for (option_position, option) in product.options.iter().enumerate() {
        sqlx::query(
            "INSERT INTO product_options (product_id, code, position, label, bandwidth_mbps) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(product.id.as_str())
        .bind(&option.code)
        .bind(option_position as i64)
        .bind(&option.label)
        .bind(option.bandwidth.map(|bandwidth| bandwidth.mbps() as i64))
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// Writes one price line of a price book at `position`. The seed loads its book with it too.
pub(crate) async fn insert_price_line(
    tx: &mut Tx,
    version: i64,
    position: i64,
    line: &PriceLine,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO price_lines (price_book_version, position, product_id, option_code, label, charge, unit, amount_cents, terms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(version)
    .bind(position)
    .bind(line.product.as_str())
    .bind(&line.option)
    .bind(&line.label)
    .bind(line.charge.slug())
    .bind(line.unit.slug())
    .bind(line.amount.cents())
    .bind(terms_to_text(&line.terms))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Adds a product with its first option. It has no price until a draft prices it, so the
    /// catalog lists it once a price book that prices it is published.
    pub async fn add_product(&self, by: &Actor, product: &Product) -> Result<(), CatalogEditError> {
        let mut tx = self.begin_write().await?;
        let position: i64 = sqlx::query("SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) AS next FROM products")
            .fetch_one(&mut *tx)
            .await?
            .try_get("next")?;
        if !insert_product(&mut tx, product, position).await? {
            return Err(CatalogEditError::Field {
                field: "id",
                message: format!("A product with the id “{}” exists already: choose another id.", product.id),
            });
        }
        bump_revision(&mut tx).await?;
        let after = serde_json::json!({
            "name": product.name,
            "ends": product.ends.slug(),
            "stages": product.stages.iter().map(|stage| stage.slug()).collect::<Vec<_>>(),
            "terms": terms_to_text(&product.terms),
            "provisioning": {
                "lead_days": product.provisioning.lead_days,
                "configure_minutes": product.provisioning.configure_minutes,
                "activate_minutes": product.provisioning.activate_minutes,
                "test_minutes": product.provisioning.test_minutes,
            },
            "options": product.options.iter().map(option_json).collect::<Vec<_>>(),
        });
        audit::record(&mut tx, by, "product.add", &format!("product {}", product.id), None, Change::created(after))
            .await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(())
    }

    /// Adds an option to a product. Unpriced until a draft prices it.
    pub async fn add_option(
        &self,
        by: &Actor,
        product: &ProductId,
        option: &ProductOption,
    ) -> Result<(), CatalogEditError> {
        let mut tx = self.begin_write().await?;
        crate::catalog_admin::require_product(&mut tx, product).await?;
        insert_option(&mut tx, product, option).await?;
        bump_revision(&mut tx).await?;
        audit::record(
            &mut tx,
            by,
            "product.option.add",
            &format!("product {product}"),
            None,
            Change::created(option_json(option)),
        )
        .await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(())
    }

    /// Appends a price line to a draft, for a product option that exists.
    pub async fn add_price_line(&self, by: &Actor, version: i64, line: &PriceLine) -> Result<(), CatalogEditError> {
        let products = self.products().await?;
        let product = products.iter().find(|product| product.id == line.product).ok_or(CatalogEditError::NotFound)?;
        let mut problems = Vec::new();
        if product.option(&line.option).is_none() {
            problems.push(format!("{} has no option “{}”.", product.name, line.option));
        }
        if let Some(term) = line.terms.iter().find(|term| !product.terms.contains(term)) {
            problems.push(format!("{} is not sold {}.", product.name, term.phrase()));
        }
        if line.amount.is_negative() {
            problems.push("Prices must be zero or more.".to_owned());
        }
        if !problems.is_empty() {
            return Err(CatalogEditError::Problems(problems));
        }
        let mut tx = self.begin_write().await?;
        if crate::catalog_admin::status_of(&mut tx, version).await? != "draft" {
            return Err(CatalogEditError::NotDraft(version));
        }
        let position: i64 = sqlx::query(
            "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) AS next FROM price_lines WHERE price_book_version = $1",
        )
        .bind(version)
        .fetch_one(&mut *tx)
        .await?
        .try_get("next")?;
        insert_price_line(&mut tx, version, position, line).await?;
        let after = serde_json::json!({
            "line": format!("{} {} “{}”", line.product, line.option, line.label),
            "charge": line.charge.slug(),
            "unit": line.unit.slug(),
            "amount_cents": line.amount.cents(),
            "terms": terms_to_text(&line.terms),
        });
        audit::record(
            &mut tx,
            by,
            "price-book.line.add",
            &format!("price book v{version}"),
            None,
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
