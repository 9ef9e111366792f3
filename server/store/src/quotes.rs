//! Sales quotes: create, revise (a new version, never an edit of a kept one), move between
//! states (conditional on the state and version seen), list and read. Accepting a quote
//! happens inside `place_order`, in the order's transaction.

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id, OrganisationRef};
use lightpath_domain::money::Money;
use lightpath_domain::pricing::Totals;
use lightpath_domain::quote::QuoteState;
use lightpath_domain::records::{PageRequest, Paged, QuoteRecord, QuoteSummary, QuoteVersion};
use sqlx::any::AnyRow;
use sqlx::Row;

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("quote {what}"))
}

/// A version to store; the store numbers it.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub price_book_version: i64,
    pub valid_until_ms: i64,
    pub discount_bp: u32,
    pub reason: String,
    pub choice: lightpath_domain::recommend::Choice,
    pub removed: Vec<usize>,
    /// Catalog items added besides the bundle.
    pub added: Vec<lightpath_domain::configure::Configuration>,
    pub items: Vec<lightpath_domain::records::QuoteItem>,
    pub list: Totals,
    pub net: Totals,
}

const SUMMARY: &str = "q.id, q.organisation_id, g.name AS organisation_name, q.design_id, q.name, q.state, \
     q.current_version, q.decision, q.order_id, q.created_at_ms, q.updated_at_ms, v.valid_until_ms, v.discount_bp, \
     v.reason, v.list_monthly_cents, v.list_hourly_cents, v.list_one_time_cents, v.net_monthly_cents, \
     v.net_hourly_cents, v.net_one_time_cents \
     FROM quotes q JOIN organisations g ON g.id = q.organisation_id \
     JOIN quote_versions v ON v.quote_id = q.id AND v.version = q.current_version";

fn totals(row: &AnyRow, prefix: &str) -> Result<Totals, StoreError> {
    let get = |name: &str| -> Result<Money, StoreError> {
        Ok(Money::from_cents(row.try_get::<i64, _>(format!("{prefix}_{name}_cents").as_str())?))
    };
    Ok(Totals { monthly: get("monthly")?, hourly: get("hourly")?, one_time: get("one_time")? })
}

fn id_of(text: &str) -> Result<Id, StoreError> {
    Id::parse(text).ok_or_else(|| corrupt(format!("id {text}")))
}

fn summary(row: &AnyRow, now: i64) -> Result<QuoteSummary, StoreError> {
    let state: String = row.try_get("state")?;
    let valid_until_ms: i64 = row.try_get("valid_until_ms")?;
    let stored = QuoteState::parse(&state).ok_or_else(|| corrupt(format!("state {state}")))?;
    Ok(QuoteSummary {
        id: id_of(&row.try_get::<String, _>("id")?)?,
        organisation: OrganisationRef {
            id: id_of(&row.try_get::<String, _>("organisation_id")?)?,
            name: row.try_get("organisation_name")?,
        },
        design_id: row.try_get::<Option<String>, _>("design_id")?.as_deref().and_then(Id::parse),
        name: row.try_get("name")?,
        state: stored.at(valid_until_ms, now),
        version: row.try_get("current_version")?,
        valid_until_ms,
        discount_bp: row.try_get::<i64, _>("discount_bp")? as u32,
        reason: row.try_get("reason")?,
        list: totals(row, "list")?,
        net: totals(row, "net")?,
        decision: row.try_get("decision")?,
        order_id: row.try_get::<Option<String>, _>("order_id")?.as_deref().and_then(Id::parse),
        shared: matches!(stored, QuoteState::Sent | QuoteState::Accepted),
        created_at_ms: row.try_get("created_at_ms")?,
        updated_at_ms: row.try_get("updated_at_ms")?,
    })
}

async fn insert_version(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    quote: &Id,
    version: i64,
    by: &Actor,
    new: &NewVersion,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO quote_versions (quote_id, version, price_book_version, valid_until_ms, discount_bp, reason,
             choice_json, removed_json, items_json, list_monthly_cents, list_hourly_cents, list_one_time_cents,
             net_monthly_cents, net_hourly_cents, net_one_time_cents, created_by, created_by_id, created_at_ms, added_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(quote.as_str())
    .bind(version)
    .bind(new.price_book_version)
    .bind(new.valid_until_ms)
    .bind(i64::from(new.discount_bp))
    .bind(&new.reason)
    .bind(serde_json::to_string(&new.choice).map_err(corrupt)?)
    .bind(serde_json::to_string(&new.removed).map_err(corrupt)?)
    .bind(serde_json::to_string(&new.items).map_err(corrupt)?)
    .bind(new.list.monthly.cents())
    .bind(new.list.hourly.cents())
    .bind(new.list.one_time.cents())
    .bind(new.net.monthly.cents())
    .bind(new.net.hourly.cents())
    .bind(new.net.one_time.cents())
    .bind(&by.name)
    .bind(by.id.as_str())
    .bind(now_ms())
    .bind(serde_json::to_string(&new.added).map_err(corrupt)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn figures(new: &NewVersion) -> serde_json::Value {
    serde_json::json!({
        "discount_bp": new.discount_bp,
        "net_monthly_cents": new.net.monthly.cents(),
        "valid_until_ms": new.valid_until_ms,
        "price_book_version": new.price_book_version,
    })
}

impl Store {
    /// Creates a quote with its first version, in progress.
    pub async fn create_quote(
        &self,
        by: &Actor,
        organisation: &Id,
        design: Option<&Id>,
        name: &str,
        version: &NewVersion,
    ) -> Result<Id, StoreError> {
        let id = id_of(&uuid::Uuid::new_v4().to_string())?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO quotes (id, organisation_id, design_id, name, state, current_version, decision, order_id,
                 created_by, created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, 1, NULL, NULL, $6, $7, $7)",
        )
        .bind(id.as_str())
        .bind(organisation.as_str())
        .bind(design.map(Id::as_str))
        .bind(name)
        .bind(QuoteState::InProgress.slug())
        .bind(&by.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_version(&mut tx, &id, 1, by, version).await?;
        let subject = format!("quote {id}");
        audit::record(
            &mut tx,
            by,
            "quote.create",
            &subject,
            Some(organisation.as_str()),
            Change::created(figures(version)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a version (the quote goes back to in progress, any decision cleared), unless the
    /// quote was accepted or cancelled, or another revision got in first (`seen_version`).
    /// Returns the new version number, or None when refused.
    pub async fn revise_quote(
        &self,
        by: &Actor,
        quote: &Id,
        seen_version: i64,
        version: &NewVersion,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin_write().await?;
        let next = seen_version + 1;
        let moved = sqlx::query(
            "UPDATE quotes SET current_version = $1, state = $2, decision = NULL, updated_at_ms = $3
             WHERE id = $4 AND current_version = $5 AND state NOT IN ('accepted', 'cancelled')",
        )
        .bind(next)
        .bind(QuoteState::InProgress.slug())
        .bind(now_ms())
        .bind(quote.as_str())
        .bind(seen_version)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(None);
        }
        insert_version(&mut tx, quote, next, by, version).await?;
        let organisation: String = sqlx::query_scalar("SELECT organisation_id FROM quotes WHERE id = $1")
            .bind(quote.as_str())
            .fetch_one(&mut *tx)
            .await?;
        let change = Change::updated(serde_json::json!({ "version": seen_version }), figures(version));
        audit::record(&mut tx, by, "quote.revise", &format!("quote {quote}"), Some(&organisation), change).await?;
        tx.commit().await?;
        Ok(Some(next))
    }

    /// Moves a quote from `from` to `to` when it is still in `from` at `version` (and, for a
    /// move that needs it, still valid); records the decision comment when given. False when
    /// the quote moved or was revised meanwhile.
    pub async fn move_quote(
        &self,
        by: &Actor,
        quote: &Id,
        version: i64,
        from: QuoteState,
        to: QuoteState,
        decision: Option<&str>,
    ) -> Result<bool, StoreError> {
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(
            "UPDATE quotes SET state = $1, decision = COALESCE($2, decision), updated_at_ms = $3
             WHERE id = $4 AND state = $5 AND current_version = $6
               AND ($7 = 0 OR EXISTS (SELECT 1 FROM quote_versions v WHERE v.quote_id = quotes.id
                                       AND v.version = quotes.current_version AND v.valid_until_ms >= $3))",
        )
        .bind(to.slug())
        .bind(decision)
        .bind(now)
        .bind(quote.as_str())
        .bind(from.slug())
        .bind(version)
        .bind(i64::from(to != QuoteState::Cancelled))
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        let organisation: String = sqlx::query_scalar("SELECT organisation_id FROM quotes WHERE id = $1")
            .bind(quote.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if to == QuoteState::Sent {
            let event = serde_json::json!({ "quote": {
                "id": quote.as_str(), "href": format!("/api/v1/quotes/{quote}"), "@type": "Quote",
                "state": to.slug(), "version": version,
            }});
            crate::webhooks::publish(&mut tx, &organisation, lightpath_domain::webhooks::EventType::QuoteSent, event)
                .await?;
        }
        let change = Change::updated(
            serde_json::json!({ "state": from.slug(), "version": version }),
            serde_json::json!({ "state": to.slug(), "decision": decision }),
        );
        audit::record(
            &mut tx,
            by,
            &format!("quote.{}", to.slug()),
            &format!("quote {quote}"),
            Some(&organisation),
            change,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Quotes of one organisation or all (staff), most recently changed first. `sent_only`
    /// keeps what a customer may see: quotes that were sent to them.
    pub async fn quotes(
        &self,
        organisation: Option<&Id>,
        sent_only: bool,
        page: PageRequest,
    ) -> Result<Paged<QuoteSummary>, StoreError> {
        self.quotes_where(organisation, sent_only, false, page).await
    }

    /// Quotes waiting for an admin's decision on their discount, oldest change first.
    pub async fn quotes_pending_approval(&self, page: PageRequest) -> Result<Paged<QuoteSummary>, StoreError> {
        self.quotes_where(None, false, true, page).await
    }

    async fn quotes_where(
        &self,
        organisation: Option<&Id>,
        sent_only: bool,
        pending_only: bool,
        page: PageRequest,
    ) -> Result<Paged<QuoteSummary>, StoreError> {
        let query = format!(
            "SELECT {SUMMARY} WHERE ($1 = '' OR q.organisation_id = $1)
               AND ($2 = 0 OR q.state IN ('sent', 'accepted'))
               AND ($3 = 0 OR q.state = 'pendingApproval')
             ORDER BY q.updated_at_ms DESC, q.id LIMIT $4 OFFSET $5"
        );
        let now = now_ms();
        let rows = sqlx::query(&query)
            .bind(organisation.map_or("", Id::as_str))
            .bind(i64::from(sent_only))
            .bind(i64::from(pending_only))
            .bind(page.fetch())
            .bind(page.offset())
            .fetch_all(self.pool())
            .await?;
        Ok(page.cut(rows.iter().map(|row| summary(row, now)).collect::<Result<Vec<_>, _>>()?))
    }

    /// The account that wrote a version of a quote (None for versions from before authors
    /// were recorded by id).
    pub async fn quote_version_author(&self, quote: &Id, version: i64) -> Result<Option<Id>, StoreError> {
        let author: Option<Option<String>> =
            sqlx::query_scalar("SELECT created_by_id FROM quote_versions WHERE quote_id = $1 AND version = $2")
                .bind(quote.as_str())
                .bind(version)
                .fetch_optional(self.pool())
                .await?;
        Ok(author.flatten().as_deref().and_then(Id::parse))
    }

    pub async fn quote(&self, id: &Id) -> Result<Option<QuoteRecord>, StoreError> {
        let Some(row) = sqlx::query(&format!("SELECT {SUMMARY} WHERE q.id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let summary = summary(&row, now_ms())?;
        let versions = sqlx::query(
            "SELECT version, price_book_version, valid_until_ms, discount_bp, reason, choice_json, removed_json,
                    items_json, list_monthly_cents, list_hourly_cents, list_one_time_cents, net_monthly_cents,
                    net_hourly_cents, net_one_time_cents, created_by, created_at_ms, added_json
             FROM quote_versions WHERE quote_id = $1 ORDER BY version",
        )
        .bind(id.as_str())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let json = |column: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(column)?) };
            Ok(QuoteVersion {
                version: row.try_get("version")?,
                price_book_version: row.try_get("price_book_version")?,
                valid_until_ms: row.try_get("valid_until_ms")?,
                discount_bp: row.try_get::<i64, _>("discount_bp")? as u32,
                reason: row.try_get("reason")?,
                choice: serde_json::from_str(&json("choice_json")?).map_err(corrupt)?,
                removed: serde_json::from_str(&json("removed_json")?).map_err(corrupt)?,
                added: serde_json::from_str(&json("added_json")?).map_err(corrupt)?,
                items: serde_json::from_str(&json("items_json")?).map_err(corrupt)?,
                list: totals(row, "list")?,
                net: totals(row, "net")?,
                created_by: row.try_get("created_by")?,
                created_at_ms: row.try_get("created_at_ms")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(QuoteRecord { summary, versions }))
    }
}
