//! The audit log: every change a person makes, written in the same transaction as the change
//! itself, so there is never a change without its entry or an entry without its change.

use crate::{now_ms, Store, StoreError};
use lightpath_domain::account::Actor;
pub use lightpath_domain::records::AuditEntry;
use serde_json::Value;
use sqlx::Row;

/// The before and after of a change (the fields that changed, as JSON).
pub struct Change {
    before: Option<Value>,
    after: Option<Value>,
}

impl Change {
    pub fn created(after: Value) -> Change {
        Change { before: None, after: Some(after) }
    }
    pub fn updated(before: Value, after: Value) -> Change {
        Change { before: Some(before), after: Some(after) }
    }
    pub fn deleted(before: Value) -> Change {
        Change { before: Some(before), after: None }
    }
    /// A change whose content must not be logged (a new password).
    pub fn none() -> Change {
        Change { before: None, after: None }
    }
}

/// Which entries to list: newest first, optionally only one action prefix or one person.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// e.g. "price-book" matches "price-book.publish" and "price-book.edit".
    pub action: Option<String>,
    /// The person's email (exactly, in any case).
    pub actor: Option<String>,
    /// Only one organisation's entries (what its own admins read).
    pub organisation: Option<lightpath_domain::account::Id>,
    /// Only entries at or after this time (milliseconds since 1970).
    pub from_ms: Option<i64>,
    /// Only entries before this time.
    pub until_ms: Option<i64>,
    pub page: lightpath_domain::records::PageRequest,
}

/// The most entries one CSV export holds (the newest ones): a bounded read, however long the
/// log has grown.
pub const EXPORT_LIMIT: u32 = 10_000;

pub(crate) async fn record(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    action: &str,
    subject: &str,
    organisation: Option<&str>,
    change: Change,
) -> Result<(), sqlx::Error> {
    // The person by account and email; a token by id, its name and prefix kept apart as data.
    let token = actor.token.as_ref();
    sqlx::query(
        "INSERT INTO audit_log (id, at_ms, actor_id, actor_email, actor_token_id, actor_token_name, actor_token_prefix,
             action, subject, organisation_id, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(now_ms())
    .bind(actor.id.as_str())
    .bind(actor.email.as_str())
    .bind(token.map(|token| token.id.as_str().to_owned()))
    .bind(token.map(|token| token.name.clone()))
    .bind(token.map(|token| token.prefix.clone()))
    .bind(action)
    .bind(subject)
    .bind(organisation)
    .bind(change.before.map(|value| value.to_string()))
    .bind(change.after.map(|value| value.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// One page of the entries matching `filter`, newest first.
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
    ) -> Result<lightpath_domain::records::Paged<AuditEntry>, StoreError> {
        let entries = self.audit_entries(filter, filter.page.fetch(), filter.page.offset()).await?;
        Ok(filter.page.cut(entries))
    }

    /// The newest [`EXPORT_LIMIT`] entries matching `filter` (its page is ignored), for a CSV.
    pub async fn audit_export(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_entries(filter, i64::from(EXPORT_LIMIT), 0).await
    }

    async fn audit_entries(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let action = filter.action.as_deref().map(|action| format!("{}%", action.replace(['%', '_'], "")));
        let actor = filter.actor.as_deref().map(|actor| actor.trim().to_lowercase());
        // One person's entries: their email exactly (an entry written before tokens were kept
        // apart starts with the email and " (API token ").
        let rows = sqlx::query(
            "SELECT id, at_ms, actor_email, actor_token_name, actor_token_prefix, action, subject, before_json, after_json
             FROM audit_log
             WHERE (CAST($1 AS TEXT) IS NULL OR action LIKE $1)
               AND (CAST($2 AS TEXT) IS NULL OR actor_email = $2
                    OR substr(actor_email, 1, length(CAST($2 AS TEXT)) + 12) = CAST($2 AS TEXT) || ' (API token ')
               AND (CAST($3 AS TEXT) IS NULL OR organisation_id = $3)
               AND at_ms >= $6 AND at_ms < $7
             ORDER BY at_ms DESC, id DESC LIMIT $4 OFFSET $5",
        )
        .bind(action)
        .bind(actor)
        .bind(filter.organisation.as_ref().map(|organisation| organisation.as_str().to_owned()))
        .bind(limit)
        .bind(offset)
        .bind(filter.from_ms.unwrap_or(i64::MIN))
        .bind(filter.until_ms.unwrap_or(i64::MAX))
        .fetch_all(self.pool())
        .await?;
        let entries = rows
            .iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at_ms: row.try_get("at_ms")?,
                    actor_email: row.try_get("actor_email")?,
                    token: match (
                        row.try_get::<Option<String>, _>("actor_token_name")?,
                        row.try_get::<Option<String>, _>("actor_token_prefix")?,
                    ) {
                        (Some(name), Some(prefix)) => Some(format!("API token “{name}” ({prefix}…)")),
                        _ => None,
                    },
                    action: row.try_get("action")?,
                    subject: row.try_get("subject")?,
                    before: row.try_get("before_json")?,
                    after: row.try_get("after_json")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(entries)
    }
}
