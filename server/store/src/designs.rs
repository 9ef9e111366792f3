//! Saved workload designs of customer organisations: create, update, list, open, duplicate,
//! delete. Every change is audited in its transaction. Who may see or change which design is
//! decided by the caller with `lightpath_domain::policy`; these queries are scoped by id only.

use crate::audit::{self, Change};
use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::{Actor, Id, OrganisationRef};
use lightpath_domain::design::{DesignDraft, DesignIntent};
use lightpath_domain::pricing::Totals;
use lightpath_domain::recommend::Choice;
use lightpath_domain::records::{DesignSummary, SavedDesign};
use lightpath_domain::records::{PageRequest, Paged};
use lightpath_domain::{LifecycleStage, Money};
use sqlx::any::AnyRow;
use sqlx::Row;

/// What a save writes.
#[derive(Debug, Clone)]
pub struct DesignWrite<'a> {
    pub name: &'a str,
    pub intent: DesignIntent,
    pub draft: &'a DesignDraft,
    /// The chosen bundle, its server-side totals and the price book version that priced it;
    /// None for a draft.
    pub priced: Option<(&'a Choice, Totals, i64)>,
}

const COLUMNS: &str = "d.id, d.organisation_id, o.name AS organisation_name, d.name, d.stages, d.intent, \
     d.draft_json, d.choice_json, d.price_book_version, d.monthly_cents, d.hourly_cents, d.one_time_cents, \
     d.created_by, d.updated_at_ms FROM designs d JOIN organisations o ON o.id = d.organisation_id";

/// What a list of designs needs: the summary, without the drafts.
const LIST_COLUMNS: &str = "d.id, d.organisation_id, o.name AS organisation_name, d.name, d.stages, d.intent, \
     d.price_book_version, d.monthly_cents, d.hourly_cents, d.one_time_cents, d.created_by, d.updated_at_ms \
     FROM designs d JOIN organisations o ON o.id = d.organisation_id";

/// A quote started from the design `d` that still answers its request.
const OPEN_QUOTE: &str = "SELECT 1 FROM quotes q WHERE q.design_id = d.id AND q.state NOT IN ('cancelled', 'expired')";

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("design {what}"))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("design values serialise")
}

fn stages_text(draft: &DesignDraft) -> String {
    draft.stages.iter().map(|stage| stage.slug()).collect::<Vec<_>>().join(",")
}

fn summary_from_row(row: &AnyRow) -> Result<DesignSummary, StoreError> {
    let id: String = row.try_get("id")?;
    let organisation: String = row.try_get("organisation_id")?;
    let stages: String = row.try_get("stages")?;
    let intent: String = row.try_get("intent")?;
    let cents = |column: &str| -> Result<Option<Money>, StoreError> {
        Ok(row.try_get::<Option<i64>, _>(column)?.map(Money::from_cents))
    };
    let totals = match (cents("monthly_cents")?, cents("hourly_cents")?, cents("one_time_cents")?) {
        (Some(monthly), Some(hourly), Some(one_time)) => Some(Totals { monthly, hourly, one_time }),
        _ => None,
    };
    Ok(DesignSummary {
        id: Id::parse(&id).ok_or_else(|| corrupt("id"))?,
        organisation: OrganisationRef {
            id: Id::parse(&organisation).ok_or_else(|| corrupt("organisation id"))?,
            name: row.try_get("organisation_name")?,
        },
        name: row.try_get("name")?,
        stages: stages
            .split(',')
            .filter(|slug| !slug.is_empty())
            .map(|slug| slug.parse::<LifecycleStage>())
            .collect::<Result<_, _>>()
            .map_err(corrupt)?,
        intent: DesignIntent::parse(&intent).ok_or_else(|| corrupt("intent"))?,
        totals,
        price_book_version: row.try_get("price_book_version")?,
        created_by: row.try_get("created_by")?,
        updated_at_ms: row.try_get("updated_at_ms")?,
    })
}

impl Store {
    /// Saves a new design for `organisation`; returns its id.
    pub async fn create_design(&self, by: &Actor, organisation: &Id, write: DesignWrite<'_>) -> Result<Id, StoreError> {
        let id = Id::parse(&uuid::Uuid::new_v4().to_string()).ok_or_else(|| corrupt("new id"))?;
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let (intent, choice, totals, version) = priced_columns(&write);
        let insert = sqlx::query(
            "INSERT INTO designs (name, stages, intent, draft_json, choice_json, price_book_version,
                 monthly_cents, hourly_cents, one_time_cents, id, organisation_id, created_by, created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        );
        bind_contents(insert, &write, intent, choice, totals, version)
            .bind(id.as_str())
            .bind(organisation.as_str())
            .bind(&by.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let after = serde_json::json!({ "name": write.name, "intent": intent.slug() });
        audit::record(
            &mut tx,
            by,
            "design.create",
            &format!("design {id}"),
            Some(organisation.as_str()),
            Change::created(after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Overwrites a design with a new save; false when it no longer exists.
    pub async fn update_design(&self, by: &Actor, id: &Id, write: DesignWrite<'_>) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(before) = sqlx::query("SELECT name, intent, organisation_id FROM designs WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        let (old_name, old_intent, organisation): (String, String, String) =
            (before.try_get("name")?, before.try_get("intent")?, before.try_get("organisation_id")?);
        let (intent, choice, totals, version) = priced_columns(&write);
        let update = sqlx::query(
            "UPDATE designs SET name = $1, stages = $2, intent = $3, draft_json = $4, choice_json = $5,
                 price_book_version = $6, monthly_cents = $7, hourly_cents = $8, one_time_cents = $9, updated_at_ms = $10
             WHERE id = $11",
        );
        bind_contents(update, &write, intent, choice, totals, version)
            .bind(now_ms())
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        let change = Change::updated(
            serde_json::json!({ "name": old_name, "intent": old_intent }),
            serde_json::json!({ "name": write.name, "intent": intent.slug() }),
        );
        audit::record(&mut tx, by, "design.update", &format!("design {id}"), Some(&organisation), change).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn design(&self, id: &Id) -> Result<Option<SavedDesign>, StoreError> {
        let Some(row) = sqlx::query(&format!("SELECT {COLUMNS} WHERE d.id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let draft: String = row.try_get("draft_json")?;
        let choice: Option<String> = row.try_get("choice_json")?;
        Ok(Some(SavedDesign {
            summary: summary_from_row(&row)?,
            draft: serde_json::from_str(&draft).map_err(corrupt)?,
            choice: choice.map(|text| serde_json::from_str(&text)).transpose().map_err(corrupt)?,
        }))
    }

    /// Designs of one organisation, or of every organisation (for carrier staff), newest first.
    /// One page of the designs of an organisation, or of all (staff), most recently changed
    /// first. Reads no drafts: a list shows summaries.
    pub async fn designs(
        &self,
        organisation: Option<&Id>,
        page: PageRequest,
    ) -> Result<Paged<DesignSummary>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LIST_COLUMNS} WHERE ($1 = '' OR d.organisation_id = $1)
             ORDER BY d.updated_at_ms DESC, d.id LIMIT $2 OFFSET $3"
        ))
        .bind(organisation.map_or("", Id::as_str))
        .bind(page.fetch())
        .bind(page.offset())
        .fetch_all(self.pool())
        .await?;
        Ok(page.cut(rows.iter().map(summary_from_row).collect::<Result<Vec<_>, _>>()?))
    }

    /// Designs whose buyers asked for a quote that has not been started (or whose quotes
    /// were all cancelled or expired), oldest request first: the sales engineers' queue, or
    /// one organisation's requests still waiting.
    pub async fn quote_requests(
        &self,
        organisation: Option<&Id>,
        limit: i64,
    ) -> Result<Vec<DesignSummary>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LIST_COLUMNS} WHERE d.intent = 'quote-requested' AND ($1 = '' OR d.organisation_id = $1) \
               AND NOT EXISTS ({OPEN_QUOTE}) ORDER BY d.updated_at_ms, d.id LIMIT $2"
        ))
        .bind(organisation.map_or("", Id::as_str))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// How many quote requests wait for a sales engineer.
    pub async fn quote_request_count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM designs d WHERE d.intent = 'quote-requested' AND NOT EXISTS ({OPEN_QUOTE})"
        ))
        .fetch_one(self.pool())
        .await?;
        Ok(count.max(0) as u64)
    }

    /// Copies a design as a new draft-or-saved design named "Copy of …"; None when it is gone.
    pub async fn duplicate_design(&self, by: &Actor, id: &Id) -> Result<Option<Id>, StoreError> {
        let Some(original) = self.design(id).await? else { return Ok(None) };
        let name = format!("Copy of {}", original.summary.name);
        let name: String = name.chars().take(120).collect();
        let totals = original.summary.totals;
        let priced = match (&original.choice, totals, original.summary.price_book_version) {
            (Some(choice), Some(totals), Some(version)) => Some((choice, totals, version)),
            _ => None,
        };
        // A copy is a fresh start: requests for a quote or an order stay with the original.
        let intent = if priced.is_some() { DesignIntent::Saved } else { DesignIntent::Draft };
        let mut draft = original.draft.clone();
        draft.name = name.clone();
        let write = DesignWrite { name: &name, intent, draft: &draft, priced };
        self.create_design(by, &original.summary.organisation.id, write).await.map(Some)
    }

    /// Deletes a design; false when it was already gone.
    pub async fn delete_design(&self, by: &Actor, id: &Id) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(row) = sqlx::query("SELECT name, organisation_id FROM designs WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(false);
        };
        let (name, organisation): (String, String) = (row.try_get("name")?, row.try_get("organisation_id")?);
        sqlx::query("DELETE FROM designs WHERE id = $1").bind(id.as_str()).execute(&mut *tx).await?;
        let before = serde_json::json!({ "name": name });
        audit::record(
            &mut tx,
            by,
            "design.delete",
            &format!("design {id}"),
            Some(&organisation),
            Change::deleted(before),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds $1…$9, the columns a create and an update both write, in the same order.
fn bind_contents<'q>(
    query: AnyQuery<'q>,
    write: &DesignWrite<'_>,
    intent: DesignIntent,
    choice: Option<String>,
    totals: Option<Totals>,
    version: Option<i64>,
) -> AnyQuery<'q> {
    query
        .bind(write.name.to_owned())
        .bind(stages_text(write.draft))
        .bind(intent.slug())
        .bind(json(write.draft))
        .bind(choice)
        .bind(version)
        .bind(totals.map(|t| t.monthly.cents()))
        .bind(totals.map(|t| t.hourly.cents()))
        .bind(totals.map(|t| t.one_time.cents()))
}

/// The intent, the choice as JSON, the totals and the price book version. A save without a
/// priced choice is a draft whatever it asked for: only priced designs can be finished.
fn priced_columns(write: &DesignWrite<'_>) -> (DesignIntent, Option<String>, Option<Totals>, Option<i64>) {
    match write.priced {
        Some((choice, totals, version)) if write.intent != DesignIntent::Draft => {
            (write.intent, Some(json(choice)), Some(totals), Some(version))
        }
        _ => (DesignIntent::Draft, None, None, None),
    }
}
